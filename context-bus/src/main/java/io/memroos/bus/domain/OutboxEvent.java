package io.memroos.bus.domain;

import java.time.Instant;

/**
 * An event written in the same transaction as the change it reports, for the audit log.
 *
 * @param position monotonic position in the outbox (the {@code after} cursor)
 * @param type     {@code bus.message.sent|delivered|acked|nacked|dead-lettered|expired|requeued|purged}
 * @param asset    {@code message:<id>}
 * @param payload  a JSON object, as text
 */
public record OutboxEvent(long position, String id, String type, String actor, String asset, Instant occurredAt,
                          String payload, Instant publishedAt) {
}
