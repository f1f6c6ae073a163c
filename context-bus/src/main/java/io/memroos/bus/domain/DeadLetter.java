package io.memroos.bus.domain;

import java.time.Instant;

/** A delivery that gave up: too many attempts, or its time to live ran out. */
public record DeadLetter(String id, String recipient, long seq, int attempts, Instant deadAt, String reason,
                         Message message) {
}
