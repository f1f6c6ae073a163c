package io.memroos.registry.domain;

import java.time.Instant;

/** What the registry answers to a heartbeat. */
public record HeartbeatReceipt(String agentId, Liveness liveness, Instant receivedAt) {
}
