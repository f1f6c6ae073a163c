package io.memroos.a2a.domain;

import java.util.List;

/** What an update does to a task: its new row and the events to append (numbered by the store). */
public record Change(TaskRecord next, List<String> events) {

    public Change {
        events = List.copyOf(events);
    }

    public static Change none(TaskRecord current) {
        return new Change(current, List.of());
    }
}
