package io.memroos.bus.domain;

import java.util.List;

/**
 * An agent as the registry describes it: the bus's own view of the registry's Agent.
 *
 * @param status   {@code active} or {@code deregistered}
 * @param liveness {@code online|stale|offline|unreachable}
 */
public record Peer(String id, String name, List<String> capabilities, String status, String liveness,
                   String endpointKind, String endpointUrl) {
    public Peer {
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }

    public boolean active() {
        return "active".equals(status);
    }
}
