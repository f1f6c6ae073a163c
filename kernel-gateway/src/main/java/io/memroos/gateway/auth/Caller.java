package io.memroos.gateway.auth;

import java.util.Objects;

/**
 * Who is calling, as established at the edge.
 *
 * @param subject   {@code operator} or {@code agent:<id>}
 * @param agentId   the agent id for agent callers, else null
 * @param rateKey   the key the rate limit is counted against (one per credential)
 * @param sessionId the console session (hash) when signed in through the UI, else null
 * @param csrfToken the session's CSRF token, else null
 */
public record Caller(String subject, String agentId, String rateKey, String sessionId, String csrfToken) {

    public Caller {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(rateKey, "rateKey");
    }

    public static Caller operatorByKey() {
        return new Caller("operator", null, "operator", null, null);
    }

    public static Caller operatorSession(String sessionHash, String csrfToken) {
        return new Caller("operator", null, "operator", sessionHash, csrfToken);
    }

    public static Caller agent(String agentId, String keyId) {
        return new Caller("agent:" + agentId, agentId, "key:" + keyId, null, null);
    }

    public boolean isOperator() {
        return agentId == null;
    }
}
