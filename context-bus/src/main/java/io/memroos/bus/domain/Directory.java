package io.memroos.bus.domain;

import java.util.List;

/** Where agents are looked up (the registry). Throws {@link BusException} UNAVAILABLE when it cannot answer. */
public interface Directory {

    /** The agent, deregistered ones included, or null when it does not exist. */
    Peer find(String agentId);

    /** Active agents, all of them or those with the capability (null for all). */
    List<Peer> active(String capability);
}
