package io.memroos.memory.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An input to remember: a free text or chat messages (one of them), in a scope.
 *
 * @param agentId   the agent (operators must name it; agents may omit it)
 * @param userId    optional user
 * @param sessionId optional session/run
 * @param text      free text, or null
 * @param messages  chat messages, or null
 * @param metadata  metadata for every memory made from it (never read for scope)
 * @param at        when it happened (default now)
 * @param async     force the job path
 */
public record AddCommand(String agentId, String userId, String sessionId, String text, List<Message> messages,
                         Map<String, Object> metadata, Instant at, boolean async) {

    /** One chat message. */
    public record Message(String role, String content) {
    }
}
