package io.memroos.a2a.store;

import io.memroos.a2a.domain.A2aException;
import io.memroos.a2a.domain.Applied;
import io.memroos.a2a.domain.Change;
import io.memroos.a2a.domain.Page;
import io.memroos.a2a.domain.PushConfig;
import io.memroos.a2a.domain.PushDelivery;
import io.memroos.a2a.domain.TaskEvent;
import io.memroos.a2a.domain.TaskQuery;
import io.memroos.a2a.domain.TaskRecord;
import io.memroos.a2a.domain.TaskState;
import io.memroos.a2a.domain.TaskStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour every {@link TaskStore} must have; one subclass per backend. */
abstract class TaskStoreContractTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    TaskStore store;

    abstract TaskStore freshStore() throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        store = freshStore();
    }

    static String unique() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    static TaskRecord task(String id, String caller, String target, Instant at) {
        return new TaskRecord(id, "ctx-" + id, caller, target, "a2a", null, TaskState.SUBMITTED, "{\"id\":\"" + id + "\"}",
                0, "{\"message\":{}}", "send", at, at.plusSeconds(60), 0, at, at);
    }

    @Test
    void createNumbersEventsFromOneAndUpdatesContinueTheSequence() {
        Applied a = store.create(task("t1", "operator", "agt_a", T0), List.of("{\"e\":1}"));
        assertEquals(1, a.task().lastSeq());
        assertEquals(1, a.events().get(0).seq());
        Applied b = store.update("t1", cur -> new Change(cur.with(TaskState.WORKING, "{\"v\":2}", T0.plusSeconds(1))
                .withRemoteTaskId("r1").delivered(), List.of("{\"e\":2}", "{\"e\":3}")));
        assertEquals(List.of(2L, 3L), b.events().stream().map(TaskEvent::seq).toList());
        TaskRecord t = store.find("t1").orElseThrow();
        assertEquals(3, t.lastSeq());
        assertEquals(TaskState.WORKING, t.state());
        assertEquals("r1", t.remoteTaskId());
        assertNull(t.pendingJson());
        assertEquals("{\"v\":2}", t.taskJson());
        assertEquals(List.of("{\"e\":2}", "{\"e\":3}"),
                store.events("t1", 1, 10).stream().map(TaskEvent::eventJson).toList());
        assertThrows(A2aException.class, () -> store.update("nope", Change::none));
    }

    @Test
    void listFiltersByVisibilityStateContextAndAgentWithACursor() {
        for (int i = 0; i < 5; i++) {
            store.create(task("a" + i, "agent:x", "agt_t", T0.plusSeconds(i)), List.of("{}"));
        }
        store.create(task("b0", "operator", "agt_u", T0.plusSeconds(10)), List.of("{}"));
        Page<TaskRecord> p1 = store.list(new TaskQuery("x", null, null, null, null, null, 2));
        assertEquals(5, p1.total());
        assertEquals(List.of("a4", "a3"), p1.items().stream().map(TaskRecord::id).toList());
        Page<TaskRecord> p2 = store.list(new TaskQuery("x", null, null, null, null, p1.nextCursor(), 2));
        assertEquals(List.of("a2", "a1"), p2.items().stream().map(TaskRecord::id).toList());
        Page<TaskRecord> p3 = store.list(new TaskQuery("x", null, null, null, null, p2.nextCursor(), 2));
        assertEquals(List.of("a0"), p3.items().stream().map(TaskRecord::id).toList());
        assertNull(p3.nextCursor());
        assertEquals(1, store.list(new TaskQuery("agt_u", null, null, null, null, null, 10)).total());
        assertEquals(6, store.list(new TaskQuery(null, null, TaskState.SUBMITTED, null, null, null, 10)).total());
        assertEquals(1, store.list(new TaskQuery(null, "ctx-a1", null, null, null, null, 10)).total());
        assertEquals(5, store.list(new TaskQuery(null, null, null, "agt_t", null, null, 10)).total());
        assertEquals(1, store.list(new TaskQuery(null, null, null, null, T0.plusSeconds(5), null, 10)).total());
        assertThrows(A2aException.class, () -> store.list(new TaskQuery(null, null, null, null, null, "!!", 10)));
    }

    @Test
    void pendingAndOpenTasks() {
        store.create(task("p1", "operator", "agt", T0), List.of("{}"));
        assertEquals(1, store.duePending(T0.plusSeconds(1), 10).size());
        assertEquals(0, store.duePending(T0.minusSeconds(1), 10).size());
        store.update("p1", cur -> new Change(cur.with(TaskState.COMPLETED, "{}", T0).delivered(), List.of()));
        assertEquals(0, store.duePending(T0.plusSeconds(1), 10).size());
        assertEquals(0, store.open(10).size());
    }

    @Test
    void eachEventIsQueuedForEachWebhookInTheSameTransaction() {
        store.create(task("w1", "operator", "agt", T0), List.of("{}"));
        store.savePushConfig(new PushConfig("w1", "c1", "{\"url\":\"http://x\"}", T0));
        store.savePushConfig(new PushConfig("w1", "c2", "{\"url\":\"http://y\"}", T0));
        store.update("w1", cur -> new Change(cur, List.of("{\"e\":2}")));
        List<PushDelivery> due = store.duePushDeliveries(T0.plusSeconds(60), 10);
        assertEquals(2, due.size());
        store.pushDelivered(due.get(0).id());
        store.pushFailed(due.get(1).id(), 1, T0.plusSeconds(3600), "HTTP 500");
        assertEquals(0, store.duePushDeliveries(T0.plusSeconds(60), 10).size());
        assertEquals(1, store.duePushDeliveries(T0.plusSeconds(7200), 10).size());
        assertEquals(2, store.pushConfigs("w1").size());
        assertTrue(store.deletePushConfig("w1", "c2"));
        assertFalse(store.deletePushConfig("w1", "c2"));
        assertEquals(0, store.duePushDeliveries(T0.plusSeconds(7200), 10).size());
        assertTrue(store.findPushConfig("w1", "c1").isPresent());
    }
}
