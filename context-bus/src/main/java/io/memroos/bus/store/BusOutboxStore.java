package io.memroos.bus.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.contract.outbox.OutboxEvent;
import io.memroos.contract.outbox.OutboxStore;
import io.memroos.contract.outbox.PendingEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The contract's {@link OutboxStore} over the bus's own {@code outbox} table, so the shared relay sends it to
 * governance. The table keeps the bus's columns (position, id, type, actor, asset, occurred_at, payload); its
 * {@code published_at} is the delivery mark, {@code parked_at}/{@code error} set refused events aside (V2).
 * Each row becomes governance's envelope when it is read ({@link #envelope}).
 */
final class BusOutboxStore implements OutboxStore {

    static final String SOURCE = "context-bus";

    /** What an event type means as a policy action. */
    private static final Map<String, String> ACTIONS = Map.ofEntries(
            Map.entry("bus.message.sent", "bus.message.send"),
            Map.entry("bus.message.delivered", "bus.message.deliver"),
            Map.entry("bus.message.acked", "bus.message.ack"),
            Map.entry("bus.message.nacked", "bus.message.nack"),
            Map.entry("bus.message.dead-lettered", "bus.message.dead-letter"),
            Map.entry("bus.message.expired", "bus.message.expire"),
            Map.entry("bus.message.requeued", "bus.message.requeue"),
            Map.entry("bus.message.purged", "bus.message.purge"),
            Map.entry("bus.subscription.created", "bus.subscription.create"),
            Map.entry("bus.subscription.updated", "bus.subscription.update"),
            Map.entry("bus.subscription.deleted", "bus.subscription.delete"));

    private static final String PENDING = "published_at IS NULL AND parked_at IS NULL";

    private final SqlBusStore store;
    private final ObjectMapper json;

    BusOutboxStore(SqlBusStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    @Override
    public List<PendingEvent> fetchPending(int limit) {
        return store.read(tx -> {
            List<PendingEvent> out = new ArrayList<>();
            for (Map<String, Object> r : tx.query("SELECT position, id, type, actor, asset, occurred_at, payload "
                    + "FROM outbox WHERE " + PENDING + " ORDER BY position LIMIT ?", limit)) {
                out.add(new PendingEvent(SqlBusStore.lng(r, "position"), (String) r.get("id"), envelope(r)));
            }
            return out;
        });
    }

    /** One outbox row in governance's envelope (never a message body: the bus never writes one to the outbox). */
    String envelope(Map<String, Object> r) {
        String type = (String) r.get("type");
        String asset = (String) r.get("asset");
        int colon = asset.indexOf(':');
        String kind = colon < 0 ? asset : asset.substring(0, colon);
        String assetId = colon < 0 ? asset : asset.substring(colon + 1);
        String payload = (String) r.get("payload");
        String label = null;
        try {
            JsonNode p = json.readTree(payload);
            if (p != null && p.hasNonNull("label") && p.get("label").isTextual()) {
                label = p.get("label").asText();
            }
        } catch (Exception e) {
            payload = "{}";
        }
        String actor = (String) r.get("actor");
        return OutboxEvent.builder()
                .id((String) r.get("id"))
                .source(SOURCE)
                .type(type)
                .occurredAt(Instant.ofEpochMilli(SqlBusStore.lng(r, "occurred_at")))
                .actor(actor.indexOf(':') < 0 && !"operator".equals(actor) ? "service:" + actor : actor)
                .action(ACTIONS.getOrDefault(type, type))
                .asset("message".equals(kind) ? "bus-message" : kind, assetId)
                .label(label)
                .data(payload)
                .build()
                .toJson();
    }

    @Override
    public void markDelivered(List<Long> seqs, Instant at) {
        if (seqs.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("UPDATE outbox SET published_at = ? WHERE published_at IS NULL "
                + "AND position IN (");
        Object[] params = new Object[seqs.size() + 1];
        params[0] = at.toEpochMilli();
        for (int i = 0; i < seqs.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
            params[i + 1] = seqs.get(i);
        }
        sql.append(')');
        store.write(tx -> tx.update(sql.toString(), params));
    }

    @Override
    public void park(long seq, String error, Instant at) {
        store.write(tx -> tx.update("UPDATE outbox SET parked_at = ?, error = ? WHERE position = ? "
                + "AND published_at IS NULL", at.toEpochMilli(), error, seq));
    }

    @Override
    public int requeueParked() {
        return store.write(tx -> tx.update("UPDATE outbox SET parked_at = NULL, error = NULL "
                + "WHERE parked_at IS NOT NULL AND published_at IS NULL"));
    }

    @Override
    public long countPending() {
        return count("SELECT COUNT(*) AS n FROM outbox WHERE " + PENDING);
    }

    @Override
    public long countParked() {
        return count("SELECT COUNT(*) AS n FROM outbox WHERE parked_at IS NOT NULL AND published_at IS NULL");
    }

    @Override
    public int purgeDelivered(Instant before) {
        return store.write(tx -> tx.update("DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < ?",
                before.toEpochMilli()));
    }

    private long count(String sql) {
        return store.read(tx -> {
            List<Map<String, Object>> rows = tx.query(sql);
            return rows.isEmpty() ? 0 : SqlBusStore.lng(rows.get(0), "n");
        });
    }
}
