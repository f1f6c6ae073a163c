package io.memroos.registry.domain;

/** An agent together with its liveness as of the read. */
public record AgentView(Agent agent, Liveness liveness) {
}
