package io.memroos.memory.sqlite;

import io.memroos.contract.outbox.Outbox;
import io.memroos.contract.outbox.OutboxEvent;
import io.memroos.memory.store.Receipt;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

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
        Outbox.append(c, event(r, at));
    }

    /** The envelope JSON of one receipt under a given event id (for stores that write the outbox themselves). */
    public static String envelope(String id, Receipt r, Instant at) {
        OutboxEvent e = event(r, at);
        return new OutboxEvent(id, e.source(), e.type(), e.occurredAt(), e.actor(), e.action(), e.assetType(),
                e.assetId(), e.purpose(), e.label(), e.data()).toJson();
    }

    /** The governance event for one receipt. */
    public static OutboxEvent event(Receipt r, Instant at) {
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
        // a receipt names at most 500 ids (the event stays well under its 64 KiB limit)
        data.put("ids", r.ids().size() > 500 ? r.ids().subList(0, 500) : r.ids());
        if (r.ids().size() > 500) {
            data.put("idsTotal", r.ids().size());
        }
        data.put("reason", r.reason() == null ? "" : truncate(r.reason(), 500));
        return OutboxEvent.builder().source(SOURCE).type(TYPE).occurredAt(at).actor(r.actor())
                .action("memory." + r.op()).asset("memory-scope", truncate(r.scope().toString(), 300))
                .data(Rows.json(data)).build();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
