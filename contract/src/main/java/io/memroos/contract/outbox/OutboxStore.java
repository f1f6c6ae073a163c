package io.memroos.contract.outbox;

import java.time.Instant;
import java.util.List;

/**
 * What the relay needs from the table that holds the outbox. {@link JdbcOutboxStore} implements it over
 * JDBC; a service whose store uses another client implements it with the statements in {@link OutboxSql}.
 * Methods may throw any runtime exception; the relay treats it as a failure and retries later.
 */
public interface OutboxStore {

    /** Up to {@code limit} rows neither delivered nor parked, in {@code seq} order. */
    List<PendingEvent> fetchPending(int limit);

    /** Marks exactly these rows delivered. */
    void markDelivered(List<Long> seqs, Instant at);

    /** Sets a row aside that governance refused as malformed; it is kept, not sent again until requeued. */
    void park(long seq, String error, Instant at);

    /** Puts every parked row back in line; returns how many. */
    int requeueParked();

    long countPending();

    long countParked();

    /** Deletes rows delivered before {@code before}; returns how many. */
    int purgeDelivered(Instant before);
}
