package io.memroos.contract.outbox;

import java.util.Objects;

/**
 * An undelivered outbox row.
 *
 * @param seq     its position in the outbox (delivery order)
 * @param eventId the event's id
 * @param payload the envelope JSON
 */
public record PendingEvent(long seq, String eventId, String payload) {

    public PendingEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(payload, "payload");
    }
}
