package io.memroos.memory.store;

import java.util.Objects;

/**
 * Whose memory this is: always an agent, optionally narrowed to a user and a session (run). Every key of every
 * backend includes it; it is taken from the caller's identity, never from payload metadata.
 *
 * @param agentId   the owning agent (required)
 * @param userId    the end user the memory is about, or null
 * @param sessionId the session or run it came from, or null
 */
public record Scope(String agentId, String userId, String sessionId) {

    public static final int MAX_ID = 200;

    public Scope {
        agentId = required(agentId, "agentId");
        userId = optional(userId, "userId");
        sessionId = optional(sessionId, "sessionId");
    }

    public static Scope agent(String agentId) {
        return new Scope(agentId, null, null);
    }

    /** True when {@code other} lies inside this scope (same agent; same user/session where this one names them). */
    public boolean contains(Scope other) {
        return agentId.equals(other.agentId)
                && (userId == null || userId.equals(other.userId))
                && (sessionId == null || sessionId.equals(other.sessionId));
    }

    private static String required(String v, String field) {
        if (v == null || v.isBlank()) {
            throw new StoreException(StoreException.Kind.INVALID, field, "must not be blank");
        }
        return optional(v, field);
    }

    private static String optional(String v, String field) {
        if (v == null || v.isBlank()) {
            return null;
        }
        if (v.length() > MAX_ID) {
            throw new StoreException(StoreException.Kind.INVALID, field, "is longer than " + MAX_ID);
        }
        for (int i = 0; i < v.length(); i++) {
            if (Character.isISOControl(v.charAt(i))) {
                throw new StoreException(StoreException.Kind.INVALID, field, "must not contain control characters");
            }
        }
        return v;
    }

    @Override
    public String toString() {
        return agentId + (userId == null ? "" : "/u:" + userId) + (sessionId == null ? "" : "/s:" + sessionId);
    }

    /** Null-safe equality helper for optional parts. */
    static boolean same(String a, String b) {
        return Objects.equals(a, b);
    }
}
