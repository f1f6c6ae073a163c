package io.memroos.a2a.domain;

import java.time.Instant;

/** One event still to deliver to one webhook (the push outbox row). */
public record PushDelivery(String id, String taskId, String configId, long seq, int attempts, Instant nextAt) {
}
