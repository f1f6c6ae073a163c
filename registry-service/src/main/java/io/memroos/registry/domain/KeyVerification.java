package io.memroos.registry.domain;

/** A live key and the agent it belongs to. */
public record KeyVerification(String agentId, String keyId, String prefix) {
}
