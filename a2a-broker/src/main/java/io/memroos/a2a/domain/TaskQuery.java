package io.memroos.a2a.domain;

import java.time.Instant;

/**
 * A page of tasks. {@code visibleTo} null means every task (operator); otherwise only tasks whose caller is
 * {@code agent:<visibleTo>} or whose target is {@code visibleTo}. Null filters are not applied.
 */
public record TaskQuery(String visibleTo, String contextId, TaskState state, String agentId, Instant updatedAfter,
                        String cursor, int limit) {

    public static final int MAX_LIMIT = 100;

    public TaskQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw A2aException.invalidParams("pageSize must be between 1 and " + MAX_LIMIT);
        }
    }
}
