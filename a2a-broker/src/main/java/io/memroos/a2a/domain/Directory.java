package io.memroos.a2a.domain;

import java.util.List;
import java.util.Optional;

/** Where the broker learns about agents (the registry). */
public interface Directory {

    Optional<AgentRef> find(String agentId);

    /**
     * The agent as {@link #find} would answer without waiting for the registry (from its cache), or null when
     * finding it would wait: callers on an event loop then take the blocking path.
     */
    default Optional<AgentRef> peek(String agentId) {
        return null;
    }

    /** Every active agent. */
    List<AgentRef> active();
}
