package io.memroos.a2a.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.a2a.GovernanceReceiver;
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
import io.memroos.contract.outbox.OutboxEvent;
import io.memroos.contract.outbox.OutboxRelay;
import io.memroos.contract.outbox.OutboxStore;
import io.memroos.contract.outbox.PendingEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

    // ---- governance outbox -------------------------------------------------------------------------------

    static final ObjectMapper JSON = new ObjectMapper();

    static OutboxEvent audit(String action, String taskId) {
        return OutboxEvent.builder().source("a2a-broker").type(action + "d").actor("operator").action(action)
                .asset("a2a-task", taskId).data("{\"n\":1}").build();
    }

    OutboxStore outbox() {
        return ((OutboxAware) store).outbox();
    }

    List<String> pendingActions() throws Exception {
        List<String> out = new ArrayList<>();
        for (PendingEvent e : outbox().fetchPending(500)) {
            out.add(JSON.readTree(e.payload()).path("action").asText() + "@"
                    + JSON.readTree(e.payload()).path("asset").path("id").asText());
        }
        return out;
    }

    @Test
    void auditEventsAreStoredWithTheChangeInOrderAndWakeTheRelayAfterCommit() throws Exception {
        AtomicInteger wakes = new AtomicInteger();
        ((OutboxAware) store).onOutboxAppend(wakes::incrementAndGet);
        OutboxEvent created = audit("a2a.task.create", "o1");
        store.create(task("o1", "operator", "agt", T0), List.of("{}"), List.of(created));
        assertEquals(1, wakes.get());
        store.update("o1", cur -> new Change(cur.with(TaskState.WORKING, "{}", T0), List.of("{}"),
                List.of(audit("a2a.task.state", "o1"))));
        store.update("o1", cur -> new Change(cur, List.of("{}")));
        assertEquals(2, wakes.get(), "a change without audit events does not wake the relay");
        store.savePushConfig(new PushConfig("o1", "c1", "{}", T0), audit("a2a.push-config.create", "o1"));
        assertTrue(store.deletePushConfig("o1", "c1", audit("a2a.push-config.delete", "o1")));
        assertFalse(store.deletePushConfig("o1", "c1", audit("a2a.push-config.delete", "o1")),
                "nothing deleted, nothing audited");
        assertEquals(List.of("a2a.task.create@o1", "a2a.task.state@o1", "a2a.push-config.create@o1",
                "a2a.push-config.delete@o1"), pendingActions());
        assertEquals(4, wakes.get());
        PendingEvent first = outbox().fetchPending(1).get(0);
        assertEquals(created.id(), first.eventId());
        assertEquals(created.toJson(), first.payload());
        assertEquals(4, outbox().countPending());
    }

    @Test
    void createAsyncStoresLikeCreateAndFailsItsFutureOnARefusedWrite() throws Exception {
        AtomicInteger wakes = new AtomicInteger();
        ((OutboxAware) store).onOutboxAppend(wakes::incrementAndGet);
        ExecutorService blocking = Executors.newSingleThreadExecutor();
        try {
            Applied a = store.createAsync(task("c1", "operator", "agt", T0), List.of("{\"e\":1}", "{\"e\":2}"),
                    List.of(audit("a2a.task.create", "c1")), blocking).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(2, a.task().lastSeq());
            assertEquals(List.of(1L, 2L), a.events().stream().map(TaskEvent::seq).toList());
            assertEquals(2, store.events("c1", 0, 10).size());
            assertEquals(1, wakes.get(), "the relay is woken after the commit");
            assertEquals(List.of("a2a.task.create@c1"), pendingActions());

            // the same task id again: the future fails and nothing of the second write stays
            CompletableFuture<Applied> twice = store.createAsync(task("c1", "operator", "agt", T0), List.of("{}"),
                    List.of(audit("a2a.task.create", "c1")), blocking).toCompletableFuture();
            assertThrows(ExecutionException.class, () -> twice.get(10, TimeUnit.SECONDS));
            assertEquals(2, store.events("c1", 0, 10).size());
            assertEquals(List.of("a2a.task.create@c1"), pendingActions());
            assertEquals(1, wakes.get());
        } finally {
            blocking.shutdownNow();
        }
    }

    @Test
    void aWebhookDeliveryGivenUpIsAuditedWithItsRemovalOnce() throws Exception {
        store.create(task("h1", "operator", "agt", T0), List.of("{}"));
        store.savePushConfig(new PushConfig("h1", "c1", "{}", T0));
        store.update("h1", cur -> new Change(cur, List.of("{}")));
        PushDelivery d = store.duePushDeliveries(T0.plusSeconds(60), 10).get(0);
        store.pushFailed(d.id(), 3, T0.plusSeconds(1), "HTTP 500", null);
        assertEquals(List.of(), pendingActions(), "a retry is not audited");
        store.pushFailed(d.id(), 10, null, "HTTP 500", audit("a2a.push.deliver", "h1"));
        assertTrue(store.duePushDeliveries(T0.plusSeconds(7200), 10).isEmpty());
        store.pushFailed(d.id(), 10, null, "HTTP 500", audit("a2a.push.deliver", "h1"));
        assertEquals(List.of("a2a.push.deliver@h1"), pendingActions(), "given up once, audited once");
    }

    @Test
    void aRolledBackChangeLeavesNoAuditEventAndAFailedAuditLeavesNoChange() throws Exception {
        store.create(task("r1", "operator", "agt", T0), List.of("{}"), List.of(audit("a2a.task.create", "r1")));
        // the change's own write fails after its audit event was prepared: nothing of it stays
        assertThrows(RuntimeException.class, () -> store.update("r1", cur -> {
            throw new IllegalStateException("refused");
        }));
        // the audit insert fails (a duplicate event id): the task row and its events are rolled back too
        OutboxEvent twice = audit("a2a.task.state", "r1");
        assertThrows(RuntimeException.class, () -> store.update("r1", cur -> new Change(
                cur.with(TaskState.COMPLETED, "{\"x\":1}", T0.plusSeconds(1)), List.of("{\"e\":2}"),
                List.of(twice, twice))));
        TaskRecord t = store.find("r1").orElseThrow();
        assertEquals(TaskState.SUBMITTED, t.state());
        assertEquals(1, t.lastSeq());
        assertEquals(1, store.events("r1", 0, 10).size());
        // a create whose audit fails leaves no task behind
        OutboxEvent dup = audit("a2a.task.create", "r2");
        assertThrows(RuntimeException.class, () -> store.create(task("r2", "operator", "agt", T0), List.of("{}"),
                List.of(dup, dup)));
        assertTrue(store.find("r2").isEmpty());
        assertEquals(List.of("a2a.task.create@r1"), pendingActions());
        // the store still works after the rollbacks
        store.update("r1", cur -> new Change(cur.with(TaskState.COMPLETED, "{}", T0), List.of(),
                List.of(audit("a2a.task.state", "r1"))));
        assertEquals(List.of("a2a.task.create@r1", "a2a.task.state@r1"), pendingActions());
    }

    @Test
    void theRelayDeliversEveryAuditEventOnceInOrderThroughAGovernanceOutage() throws Exception {
        try (GovernanceReceiver governance = GovernanceReceiver.start()) {
            governance.failWith(503);
            OutboxRelay relay = OutboxRelay.builder(outbox(), URI.create(governance.url() + "/internal/events"),
                            () -> "a.eyJzdWIiOiJzZXJ2aWNlOmEyYS1icm9rZXIifQ.c")
                    .name("a2a-test").batchSize(7).pollInterval(Duration.ofMillis(50))
                    .backoff(Duration.ofMillis(20), Duration.ofMillis(200)).build();
            ((OutboxAware) store).onOutboxAppend(relay::wake);
            relay.start();
            try {
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    String id = "g" + i;
                    store.create(task(id, "operator", "agt", T0), List.of("{}"),
                            List.of(audit("a2a.task.create", id)));
                    store.update(id, cur -> new Change(cur.with(TaskState.COMPLETED, "{}", T0), List.of(),
                            List.of(audit("a2a.task.state", id))));
                    expected.add("a2a.task.create@" + id);
                    expected.add("a2a.task.state@" + id);
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (governance.refused() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(governance.refused() >= 3, "the relay retried while governance was down");
                assertTrue(governance.events().isEmpty());
                assertEquals(20, relay.stats().pending(), "nothing is lost while governance is down");
                assertTrue(relay.stats().failures() > 0);
                governance.failWith(0);
                List<JsonNode> got = governance.await(e -> e.size() >= 20, Duration.ofSeconds(15));
                List<String> actions = new ArrayList<>();
                for (JsonNode e : got) {
                    actions.add(e.path("action").asText() + "@" + e.path("asset").path("id").asText());
                    assertEquals("a2a-broker", e.path("source").asText());
                }
                assertEquals(expected, actions, "every event once, in commit order");
                assertEquals(0, governance.duplicates());
                assertEquals(java.util.Set.of("service:a2a-broker"), governance.subjects());
                long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (relay.stats().pending() > 0 && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                assertEquals(0, relay.stats().pending());
                assertEquals(20, relay.stats().delivered());
            } finally {
                relay.close();
            }
        }
    }
}
