package io.memroos.a2a.domain;

import io.memroos.contract.outbox.OutboxEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * What an update does to a task: its new row, the events to append (numbered by the store), and the audit events
 * for governance, written to the outbox in the same transaction (so neither exists without the other).
 */
public record Change(TaskRecord next, List<String> events, List<OutboxEvent> audit) {

    public Change {
        events = List.copyOf(events);
        audit = List.copyOf(audit);
    }

    public Change(TaskRecord next, List<String> events) {
        this(next, events, List.of());
    }

    public static Change none(TaskRecord current) {
        return new Change(current, List.of());
    }

    /** This change with {@code more} audit events after its own. */
    public Change withAudit(List<OutboxEvent> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<OutboxEvent> all = new ArrayList<>(audit.size() + more.size());
        all.addAll(audit);
        all.addAll(more);
        return new Change(next, events, all);
    }

    public Change withAudit(OutboxEvent event) {
        return withAudit(List.of(event));
    }
}
