package io.memroos.bus.domain;

import java.time.Instant;

/**
 * One agent's inbox at a glance.
 *
 * @param pending  not yet acknowledged (ready and in flight)
 * @param inFlight delivered, waiting for an ack
 * @param dead     in the dead-letter list
 * @param oldestPendingAt when the oldest unacknowledged message was sent, or null
 */
public record Backlog(String agentId, long pending, long inFlight, long dead, long lastSeq, Instant oldestPendingAt) {
}
