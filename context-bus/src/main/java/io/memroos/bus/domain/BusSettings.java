package io.memroos.bus.domain;

import java.time.Duration;

/**
 * The limits and delivery policy of the bus.
 *
 * @param visibility  how long a delivered message stays invisible waiting for its ack
 * @param maxAttempts deliveries of one message to one recipient before it is dead-lettered
 */
public record BusSettings(int maxBodyBytes, int maxBacklog, int maxPageSize, Duration maxWait, int maxRecipients,
                          Duration visibility, int maxAttempts, Duration defaultTtl, Duration maxTtl,
                          Duration maxNackDelay) {
}
