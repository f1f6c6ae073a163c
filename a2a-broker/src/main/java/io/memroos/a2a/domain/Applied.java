package io.memroos.a2a.domain;

import java.util.List;

/** The task after an update and the events the update stored, in order. */
public record Applied(TaskRecord task, List<TaskEvent> events) {

    public Applied {
        events = List.copyOf(events);
    }
}
