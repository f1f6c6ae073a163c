package io.memroos.registry.domain;

import java.time.Instant;

/**
 * A page request over agents, ordered by id.
 *
 * @param capability         only agents declaring it, or null
 * @param liveness           only agents in this liveness, or null
 * @param includeDeregistered also return deregistered agents
 * @param afterId            the last id of the previous page, or null
 * @param limit              page size
 */
public record AgentQuery(String capability, LivenessBounds liveness, boolean includeDeregistered, String afterId,
                         int limit) {

    public AgentQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    /**
     * Liveness as time bounds: online means seen at or after {@code staleFrom}; stale, seen before it and at or
     * after {@code offlineFrom}; offline, never seen or seen before {@code offlineFrom}; unreachable, a remote
     * agent with at least {@code maxFailures} consecutive failures (which excludes it from the other three).
     */
    public record LivenessBounds(Liveness wanted, Instant staleFrom, Instant offlineFrom, int maxFailures) {
    }
}
