package io.memroos.contract.outbox;

import java.time.Instant;

/**
 * What a relay reports for health and metrics.
 *
 * @param pending        rows waiting to be sent (read from the store; -1 when the store did not answer)
 * @param parked         rows governance refused as malformed, set aside (-1 when the store did not answer)
 * @param delivered      events delivered by this relay since it started
 * @param failures       failed delivery attempts since it started
 * @param lastError      the last failure, or null
 * @param lastErrorAt    when, or null
 * @param lastDeliveryAt the last successful delivery, or null
 * @param running        whether the relay thread runs
 */
public record OutboxStats(long pending, long parked, long delivered, long failures, String lastError,
                          Instant lastErrorAt, Instant lastDeliveryAt, boolean running) {
}
