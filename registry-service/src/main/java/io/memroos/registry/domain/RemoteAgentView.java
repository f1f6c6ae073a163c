package io.memroos.registry.domain;

/** A remote agent's polling state, its name and its liveness. */
public record RemoteAgentView(RemoteAgent remote, String name, Liveness liveness) {
}
