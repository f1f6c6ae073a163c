package io.memroos.memory.sqlite;

import io.memroos.memory.store.Receipt;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Appends a memory receipt to the outbox table inside the caller's transaction, as a governance event envelope
 * ({@code POST /internal/events}): type {@code memory.receipt}, data
 * {@code {"op","scope":{...},"ids":[...],"reason"}}.
 */
public final class ReceiptOutbox {

    public static final String SOURCE = "memory-router";
    public static final String TYPE = "memory.receipt";

    private ReceiptOutbox() {
    }

    static void append(Connection c, Receipt r, Instant at) throws SQLException {
        String id = UUID.randomUUID().toString();
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO outbox (event_id, payload, created_at) VALUES (?, ?, ?)")) {
            st.setString(1, id);
            st.setString(2, envelope(id, r, at));
            st.setLong(3, System.currentTimeMillis());
            st.executeUpdate();
        }
    }

    /** The envelope JSON for one receipt. */
    public static String envelope(String id, Receipt r, Instant at) {
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("agentId", r.scope().agentId());
        if (r.scope().userId() != null) {
            scope.put("userId", r.scope().userId());
        }
        if (r.scope().sessionId() != null) {
            scope.put("sessionId", r.scope().sessionId());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("op", r.op());
        data.put("scope", scope);
        data.put("ids", r.ids());
        data.put("reason", r.reason() == null ? "" : r.reason());
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("id", id);
        env.put("source", SOURCE);
        env.put("type", TYPE);
        env.put("occurredAt", at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        env.put("actor", r.actor());
        env.put("action", "memory." + r.op());
        env.put("asset", Map.of("type", "memory-scope", "id", r.scope().toString()));
        env.put("data", data);
        return Rows.json(env);
    }
}
