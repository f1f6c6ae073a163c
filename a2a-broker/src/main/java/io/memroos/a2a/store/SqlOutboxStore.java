package io.memroos.a2a.store;

import io.memroos.contract.outbox.OutboxSql;
import io.memroos.contract.outbox.OutboxStore;
import io.memroos.contract.outbox.PendingEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The broker's outbox table for the relay, over the store's own {@link Sql} access, so the same code
 * serves SQLite (JDBC) and PostgreSQL (reactive client).
 */
final class SqlOutboxStore implements OutboxStore {

    private final Supplier<Sql> sql;

    SqlOutboxStore(Supplier<Sql> sql) {
        this.sql = sql;
    }

    @Override
    public List<PendingEvent> fetchPending(int limit) {
        List<PendingEvent> out = new ArrayList<>();
        for (Map<String, Object> row : sql.get().query(OutboxSql.FETCH_PENDING, limit)) {
            out.add(new PendingEvent(((Number) row.get("seq")).longValue(), (String) row.get("event_id"),
                    (String) row.get("payload")));
        }
        return out;
    }

    @Override
    public void markDelivered(List<Long> seqs, Instant at) {
        if (seqs.isEmpty()) {
            return;
        }
        Object[] params = new Object[seqs.size() + 1];
        params[0] = at.toEpochMilli();
        for (int i = 0; i < seqs.size(); i++) {
            params[i + 1] = seqs.get(i);
        }
        sql.get().update(OutboxSql.markDelivered(seqs.size()), params);
    }

    @Override
    public void park(long seq, String error, Instant at) {
        sql.get().update(OutboxSql.PARK, at.toEpochMilli(), error, seq);
    }

    @Override
    public int requeueParked() {
        return sql.get().update(OutboxSql.REQUEUE_PARKED);
    }

    @Override
    public long countPending() {
        return count(OutboxSql.COUNT_PENDING);
    }

    @Override
    public long countParked() {
        return count(OutboxSql.COUNT_PARKED);
    }

    @Override
    public int purgeDelivered(Instant before) {
        return sql.get().update(OutboxSql.PURGE_DELIVERED, before.toEpochMilli());
    }

    private long count(String statement) {
        List<Map<String, Object>> rows = sql.get().query(statement);
        return rows.isEmpty() ? 0 : ((Number) rows.get(0).get("n")).longValue();
    }
}
