package io.memroos.contract.outbox;

/**
 * The outbox statements with positional {@code ?} parameters, the same on SQLite and PostgreSQL, for a
 * store that runs them through its own client (times are epoch milliseconds, {@code BIGINT}).
 */
public final class OutboxSql {

    /** Parameters: event id, payload (the envelope JSON), created at. */
    public static final String INSERT = "INSERT INTO outbox (event_id, payload, created_at) VALUES (?, ?, ?)";

    /** Parameter: limit. Columns: seq, event_id, payload. */
    public static final String FETCH_PENDING = "SELECT seq, event_id, payload FROM outbox "
            + "WHERE delivered_at IS NULL AND parked_at IS NULL ORDER BY seq LIMIT ?";

    /** Column: n. */
    public static final String COUNT_PENDING = "SELECT COUNT(*) AS n FROM outbox WHERE delivered_at IS NULL AND parked_at IS NULL";

    /** Column: n. */
    public static final String COUNT_PARKED = "SELECT COUNT(*) AS n FROM outbox WHERE parked_at IS NOT NULL AND delivered_at IS NULL";

    /** Parameters: parked at, error, seq. */
    public static final String PARK = "UPDATE outbox SET parked_at = ?, error = ? WHERE seq = ? AND delivered_at IS NULL";

    public static final String REQUEUE_PARKED = "UPDATE outbox SET parked_at = NULL, error = NULL "
            + "WHERE parked_at IS NOT NULL AND delivered_at IS NULL";

    /** Parameter: delivered before. */
    public static final String PURGE_DELIVERED = "DELETE FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?";

    private OutboxSql() {
    }

    /**
     * Parameters: delivered at, then the {@code count} seqs. An explicit list, never a range: on PostgreSQL a
     * row with a lower seq may commit after a higher one, and a range would mark it delivered unsent.
     */
    public static String markDelivered(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive");
        }
        StringBuilder sql = new StringBuilder("UPDATE outbox SET delivered_at = ? WHERE delivered_at IS NULL AND seq IN (");
        for (int i = 0; i < count; i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        return sql.append(')').toString();
    }
}
