package io.memroos.a2a.domain;

import java.util.List;
import java.util.Optional;

/** Where the broker learns about agents (the registry). */
public interface Directory {

    Optional<AgentRef> find(String agentId);

    /** Every active agent. */
    List<AgentRef> active();
}
