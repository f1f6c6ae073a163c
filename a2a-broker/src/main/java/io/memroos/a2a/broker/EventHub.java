package io.memroos.a2a.broker;

import io.memroos.a2a.domain.TaskEvent;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Live fan-out of stored events to the streams following a task in this process. */
final class EventHub {

    private final Map<String, List<Consumer<List<TaskEvent>>>> listeners = new ConcurrentHashMap<>();

    Runnable subscribe(String taskId, Consumer<List<TaskEvent>> listener) {
        listeners.computeIfAbsent(taskId, k -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.computeIfPresent(taskId, (k, l) -> {
            l.remove(listener);
            return l.isEmpty() ? null : l;
        });
    }

    void publish(String taskId, List<TaskEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        List<Consumer<List<TaskEvent>>> l = listeners.get(taskId);
        if (l != null) {
            for (Consumer<List<TaskEvent>> c : l) {
                c.accept(events);
            }
        }
    }
}
