package io.memroos.bus.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.bus.domain.Backlog;
import io.memroos.bus.domain.BusException;
import io.memroos.bus.domain.BusStore;
import io.memroos.bus.domain.BusStore.AckOutcome;
import io.memroos.bus.domain.BusStore.AckRequest;
import io.memroos.bus.domain.BusStore.ClaimPolicy;
import io.memroos.bus.domain.DeadLetter;
import io.memroos.bus.domain.Delivery;
import io.memroos.bus.domain.Ids;
import io.memroos.bus.domain.Message;
import io.memroos.bus.domain.OutboxEvent;
import io.memroos.bus.domain.Page;
import io.memroos.bus.domain.Subscription;
import io.memroos.bus.testing.GovernanceReceiver;
import io.memroos.contract.outbox.OutboxRelay;
import io.memroos.contract.outbox.OutboxStore;
import io.memroos.contract.outbox.PendingEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour every {@link BusStore} must have; one subclass per backend. */
abstract class BusStoreContractTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final ClaimPolicy POLICY = new ClaimPolicy(Duration.ofSeconds(30), 3);

    BusStore store;

    /** A store over an empty, migrated database. */
    abstract BusStore freshStore() throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        store = freshStore();
    }

    static String unique() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    static Message message(String sender, List<String> to, String body, int priority, String key, Instant at) {
        String id = Ids.message();
        return new Message(id, sender, to, id, null, "s", Message.BodyKind.TEXT, body, priority, "internal", key, at,
                at.plusSeconds(3600));
    }

    Message send(String sender, String to, String body) {
        return store.send(message(sender, List.of(to), body, 5, null, T0), 1000, "agent:" + sender).message();
    }

    @Test
    void sendsClaimsAndAcknowledges() {
        Message m = send("a", "b", "hello");
        List<Delivery> got = store.claim("b", 10, POLICY, Long.MAX_VALUE, T0.plusSeconds(1), "agent:b");
        assertEquals(1, got.size());
        Delivery d = got.get(0);
        assertEquals(m, d.message());
        assertEquals(1, d.attempts());
        assertEquals(1, d.seq());
        assertEquals(T0.plusSeconds(31), d.visibleUntil());
        assertTrue(store.claim("b", 10, POLICY, Long.MAX_VALUE, T0.plusSeconds(2), "agent:b").isEmpty(), "in flight");
        assertEquals(AckOutcome.ACKED, store.ack("b", List.of(new AckRequest(m.id(), d.receipt())), T0, "b").get(0).outcome());
        assertEquals(AckOutcome.ALREADY_ACKED, store.ack("b", List.of(new AckRequest(m.id(), null)), T0, "b").get(0).outcome());
        assertTrue(store.claim("b", 10, POLICY, Long.MAX_VALUE, T0.plusSeconds(100), "agent:b").isEmpty(),
                "an acknowledged message is never delivered again");
        assertEquals(AckOutcome.NOT_FOUND, store.ack("c", List.of(new AckRequest(m.id(), null)), T0, "c").get(0).outcome());
    }

    @Test
    void aSendCanHandItsMessageToAWaitingReceiverInTheSameTransaction() {
        Message earlier = send("a", "b", "earlier");
        Message m = message("a", List.of("b", "c"), "handed", 5, null, T0);
        BusStore.SendResult r = store.send(m, 1000, "a", java.util.Map.of("b", 10), POLICY);
        List<Delivery> handed = r.claimed().get("b");
        assertEquals(List.of(earlier.id(), m.id()), handed.stream().map(d -> d.message().id()).toList(),
                "the hand-off claims like a claim: everything visible, in order");
        assertEquals(1, handed.get(1).attempts());
        assertTrue(store.claim("b", 10, POLICY, Long.MAX_VALUE, T0, "b").isEmpty(), "already in flight");
        assertEquals(m.id(), store.claim("c", 10, POLICY, Long.MAX_VALUE, T0, "c").get(0).message().id());
        assertEquals(AckOutcome.ACKED, store.ack("b", List.of(new AckRequest(m.id(), handed.get(1).receipt())), T0, "b")
                .get(0).outcome());
    }

    @Test
    void aMessageToSeveralRecipientsIsDeliveredToEachWithItsOwnSequence() {
        send("a", "c", "first for c");
        Message m = store.send(message("a", List.of("b", "c"), "both", 5, null, T0), 1000, "a").message();
        assertEquals(m.id(), store.claim("b", 10, POLICY, Long.MAX_VALUE, T0, "b").get(0).message().id());
        List<Delivery> c = store.claim("c", 10, POLICY, Long.MAX_VALUE, T0, "c");
        assertEquals(List.of(1L, 2L), c.stream().map(Delivery::seq).toList());
        assertEquals(List.of("b", "c"), store.message(m.id()).recipients());
    }

    @Test
    void higherPriorityFirstThenTheOrderSent() {
        Message low1 = store.send(message("a", List.of("b"), "low1", 1, null, T0), 1000, "a").message();
        Message high = store.send(message("a", List.of("b"), "high", 9, null, T0), 1000, "a").message();
        Message low2 = store.send(message("a", List.of("b"), "low2", 1, null, T0), 1000, "a").message();
        List<String> order = store.claim("b", 10, POLICY, Long.MAX_VALUE, T0, "b").stream()
                .map(d -> d.message().id()).toList();
        assertEquals(List.of(high.id(), low1.id(), low2.id()), order);
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheFirstMessage() {
        Message first = store.send(message("a", List.of("b"), "one", 5, "k1", T0), 1000, "a").message();
        BusStore.SendResult again = store.send(message("a", List.of("b"), "two", 5, "k1", T0), 1000, "a");
        assertTrue(again.replay());
        assertEquals(first, again.message());
        assertEquals(first, store.findByIdempotencyKey("a", "k1"));
        assertNull(store.findByIdempotencyKey("other", "k1"));
        assertEquals(1, store.claim("b", 10, POLICY, Long.MAX_VALUE, T0, "b").size());
    }

    @Test
    void concurrentSendsWithOneKeyEnqueueOnce() throws Exception {
        List<CompletableFuture<BusStore.SendResult>> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            all.add(CompletableFuture.supplyAsync(() ->
                    store.send(message("a", List.of("b"), "try " + n, 5, "same", T0), 1000, "a")));
        }
        Set<String> ids = new HashSet<>();
        for (CompletableFuture<BusStore.SendResult> f : all) {
            ids.add(f.get().message().id());
        }
        assertEquals(1, ids.size());
        assertEquals(1, store.claim("b", 10, POLICY, Long.MAX_VALUE, T0, "b").size());
    }

    @Test
    void aFullBacklogRefusesTheWholeSend() {
        store.send(message("a", List.of("b"), "1", 5, null, T0), 2, "a");
        store.send(message("a", List.of("b"), "2", 5, null, T0), 2, "a");
        BusException e = assertThrows(BusException.class,
                () -> store.send(message("a", List.of("c", "b"), "3", 5, null, T0), 2, "a"));
        assertEquals(BusException.Kind.BACKLOG_FULL, e.kind());
        assertTrue(store.claim("c", 10, POLICY, Long.MAX_VALUE, T0, "c").isEmpty(), "nothing enqueued for c either");
        Backlog b = store.backlog(T0).stream().filter(x -> x.agentId().equals("b")).findFirst().orElseThrow();
        assertEquals(2, b.pending());
    }

    @Test
    void aTimedOutDeliveryIsDeliveredAgainWithANewReceiptThenDeadLettered() {
        Message m = send("a", "b", "flaky");
        Delivery d1 = store.claim("b", 1, POLICY, Long.MAX_VALUE, T0, "b").get(0);
        Delivery d2 = store.claim("b", 1, POLICY, Long.MAX_VALUE, T0.plusSeconds(31), "b").get(0);
        assertEquals(2, d2.attempts());
        assertNotEquals(d1.receipt(), d2.receipt());
        assertEquals(AckOutcome.STALE_RECEIPT,
                store.ack("b", List.of(new AckRequest(m.id(), d1.receipt())), T0, "b").get(0).outcome());
        store.claim("b", 1, POLICY, Long.MAX_VALUE, T0.plusSeconds(62), "b");
        assertTrue(store.claim("b", 1, POLICY, Long.MAX_VALUE, T0.plusSeconds(93), "b").isEmpty());
        Page<DeadLetter> dead = store.deadLetters("b", null, 10);
        assertEquals(1, dead.items().size());
        assertEquals("max-attempts", dead.items().get(0).reason());
        assertEquals(3, dead.items().get(0).attempts());
        assertEquals(AckOutcome.DEAD, store.ack("b", List.of(new AckRequest(m.id(), null)), T0, "b").get(0).outcome());

        assertEquals("b", store.requeue(dead.items().get(0).id(), T0.plusSeconds(100), "operator"));
        assertNull(store.requeue(dead.items().get(0).id(), T0.plusSeconds(100), "operator"));
        Delivery again = store.claim("b", 1, POLICY, Long.MAX_VALUE, T0.plusSeconds(100), "b").get(0);
        assertEquals(1, again.attempts());
    }

    @Test
    void theSweepDeadLettersExhaustedAndExpiredDeliveriesAndNamesInboxesToWake() {
        send("a", "b", "x");
        store.claim("b", 1, POLICY, Long.MAX_VALUE, T0, "b");
        BusStore.Sweep s = store.sweep(3, T0, T0.plusSeconds(31));
        assertEquals(List.of("b"), s.wake());
        store.claim("b", 1, POLICY, Long.MAX_VALUE, T0.plusSeconds(31), "b");
        store.claim("b", 1, POLICY, Long.MAX_VALUE, T0.plusSeconds(62), "b");
        s = store.sweep(3, T0.plusSeconds(62), T0.plusSeconds(93));
        assertEquals(1, s.deadLettered());
        Message expiring = store.send(message("a", List.of("c"), "soon gone", 5, null, T0), 1000, "a").message();
        s = store.sweep(3, T0, expiring.expiresAt().plusSeconds(1));
        assertEquals(1, s.expired());
        assertEquals("expired", store.deadLetters("c", null, 10).items().get(0).reason());
        Backlog b = store.backlog(T0).stream().filter(x -> x.agentId().equals("b")).findFirst().orElseThrow();
        assertEquals(0, b.pending());
        assertEquals(1, b.dead());
    }

    @Test
    void aNackReleasesAfterItsDelay() {
        Message m = send("a", "b", "later");
        Delivery d = store.claim("b", 1, POLICY, Long.MAX_VALUE, T0, "b").get(0);
        assertEquals(AckOutcome.ACKED, store.nack("b", m.id(), d.receipt(), Duration.ofSeconds(10), T0, "b").outcome());
        assertTrue(store.claim("b", 1, POLICY, Long.MAX_VALUE, T0.plusSeconds(5), "b").isEmpty());
        assertEquals(2, store.claim("b", 1, POLICY, Long.MAX_VALUE, T0.plusSeconds(10), "b").get(0).attempts());
        Message fresh = send("a", "b", "never delivered");
        assertEquals(AckOutcome.NOT_DELIVERED, store.nack("b", fresh.id(), null, Duration.ZERO, T0, "b").outcome());
    }

    @Test
    void aResumeAlsoClaimsInFlightDeliveriesAfterTheSequence() {
        send("a", "b", "1");
        send("a", "b", "2");
        send("a", "b", "3");
        store.claim("b", 10, POLICY, Long.MAX_VALUE, T0, "b");
        List<Delivery> resumed = store.claim("b", 10, POLICY, 1, T0.plusSeconds(1), "b");
        assertEquals(List.of(2L, 3L), resumed.stream().map(Delivery::seq).toList());
    }

    @Test
    void concurrentClaimersNeverGetTheSameMessage() throws Exception {
        for (int i = 0; i < 40; i++) {
            send("a", "b", "m" + i);
        }
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Integer>> claimers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            claimers.add(CompletableFuture.supplyAsync(() -> {
                int dup = 0;
                for (int round = 0; round < 20; round++) {
                    for (Delivery d : store.claim("b", 3, POLICY, Long.MAX_VALUE, T0, "b")) {
                        if (!seen.add(d.message().id())) {
                            dup++;
                        }
                    }
                }
                return dup;
            }));
        }
        for (CompletableFuture<Integer> c : claimers) {
            assertEquals(0, c.get());
        }
        assertEquals(40, seen.size());
    }

    @Test
    void threadsComeBackInTheOrderSentFilteredByParticipant() {
        Message first = send("a", "b", "q");
        Message reply = new Message(Ids.message(), "b", List.of("a"), first.threadId(), first.id(), null,
                Message.BodyKind.JSON, "{\"answer\":42}", 5, "internal", null, T0, null);
        store.send(reply, 1000, "b");
        Message aside = new Message(Ids.message(), "c", List.of("d"), first.threadId(), null, null,
                Message.BodyKind.TEXT, "aside", 5, "internal", null, T0, null);
        store.send(aside, 1000, "c");
        assertEquals(List.of(first, reply, aside), store.thread(first.threadId(), null, 100));
        assertEquals(List.of(first, reply), store.thread(first.threadId(), "a", 100));
        assertTrue(store.thread("nope", null, 100).isEmpty());
    }

    @Test
    void searchPagesNewestFirst() {
        send("a", "b", "alpha 1");
        send("a", "b", "beta");
        send("a", "c", "alpha 2");
        Page<Message> p1 = store.search(new BusStore.MessageQuery("alpha", null, null, null, null, 1));
        assertEquals("alpha 2", p1.items().get(0).body());
        Page<Message> p2 = store.search(new BusStore.MessageQuery("alpha", null, null, null, p1.nextCursor(), 1));
        assertEquals("alpha 1", p2.items().get(0).body());
        assertEquals(1, store.search(new BusStore.MessageQuery(null, "a", "c", null, null, 10)).items().size());
    }

    @Test
    void everyChangeWritesOneOutboxEvent() {
        Message m = send("a", "b", "x");
        Delivery d = store.claim("b", 1, POLICY, Long.MAX_VALUE, T0, "agent:b").get(0);
        store.nack("b", m.id(), d.receipt(), Duration.ZERO, T0, "agent:b");
        store.claim("b", 1, POLICY, Long.MAX_VALUE, T0, "agent:b");
        store.ack("b", List.of(new AckRequest(m.id(), null)), T0, "agent:b");
        List<OutboxEvent> events = store.outbox(0, 100);
        assertEquals(List.of("bus.message.sent", "bus.message.delivered", "bus.message.nacked",
                "bus.message.delivered", "bus.message.acked"), events.stream().map(OutboxEvent::type).toList());
        assertTrue(events.stream().allMatch(e -> e.asset().equals("message:" + m.id()) && e.publishedAt() == null));
        assertEquals("agent:a", events.get(0).actor());
        assertTrue(events.get(0).payload().contains(m.id()));
        assertEquals(2, store.outbox(events.get(2).position(), 100).size());
    }

    @Test
    void subscriptionsAreKeptPerAgent() {
        Subscription s = new Subscription("b", "http://h/x", "secret-secret-123", true, T0, T0);
        store.putSubscription(s, "operator");
        assertEquals(s, store.subscription("b"));
        Subscription changed = new Subscription("b", "http://h/y", "secret-secret-123", false, T0, T0.plusSeconds(1));
        store.putSubscription(changed, "operator");
        assertEquals(List.of(changed), store.subscriptions());
        assertTrue(store.deleteSubscription("b", "operator"));
        assertFalse(store.deleteSubscription("b", "operator"));
        assertNull(store.subscription("b"));
    }

    @Test
    void purgeDeletesADeadLetter() {
        send("a", "b", "x");
        for (int i = 0; i < 4; i++) {
            store.claim("b", 1, POLICY, Long.MAX_VALUE, T0.plusSeconds(31L * i), "b");
        }
        String id = store.deadLetters(null, null, 10).items().get(0).id();
        assertTrue(store.purge(id, T0, "operator"));
        assertFalse(store.purge(id, T0, "operator"));
        assertTrue(store.deadLetters("b", null, 10).items().isEmpty());
    }

    // ---- the outbox as the governance relay sees it ---------------------------------------------------------

    static final ObjectMapper JSON = new ObjectMapper();

    OutboxStore outbox() {
        return ((OutboxAware) store).outbox();
    }

    List<JsonNode> pending() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (PendingEvent e : outbox().fetchPending(500)) {
            JsonNode env = JSON.readTree(e.payload());
            assertEquals(e.eventId(), env.path("id").asText());
            out.add(env);
        }
        return out;
    }

    @Test
    void theOutboxIsReadAsGovernanceEnvelopesWithoutBodiesOrSecrets() throws Exception {
        Message m = send("a", "b", "the body stays in the bus");
        Delivery d = store.claim("b", 1, POLICY, Long.MAX_VALUE, T0, "agent:b").get(0);
        store.ack("b", List.of(new AckRequest(m.id(), d.receipt())), T0, "agent:b");
        Subscription s = new Subscription("b", "http://h:8443/hook?key=k3y-k3y-k3y", "secret-secret-123", true, T0, T0);
        store.putSubscription(s, "agent:b");
        store.putSubscription(s, "operator");
        assertTrue(store.deleteSubscription("b", "agent:b"));
        List<JsonNode> events = pending();
        assertEquals(List.of("bus.message.send", "bus.message.deliver", "bus.message.ack", "bus.subscription.create",
                "bus.subscription.update", "bus.subscription.delete"),
                events.stream().map(e -> e.path("action").asText()).toList());
        assertEquals(List.of("agent:a", "agent:b", "agent:b", "agent:b", "operator", "agent:b"),
                events.stream().map(e -> e.path("actor").asText()).toList());
        JsonNode sent = events.get(0);
        assertEquals("context-bus", sent.path("source").asText());
        assertEquals("bus.message.sent", sent.path("type").asText());
        assertEquals("bus-message", sent.path("asset").path("type").asText());
        assertEquals(m.id(), sent.path("asset").path("id").asText());
        assertEquals("internal", sent.path("label").asText());
        assertEquals(m.id(), sent.path("data").path("messageId").asText());
        assertEquals(store.outbox(0, 1).get(0).id(), sent.path("id").asText(), "the bus's event id is the key");
        JsonNode sub = events.get(3);
        assertEquals("subscription", sub.path("asset").path("type").asText());
        assertEquals("b", sub.path("asset").path("id").asText());
        assertEquals("http://h:8443", sub.path("data").path("urlOrigin").asText());
        for (JsonNode e : events) {
            String text = e.toString();
            assertFalse(text.contains("the body stays"), text);
            assertFalse(text.contains("secret-secret"), text);
            assertFalse(text.contains("k3y"), text);
        }
        List<PendingEvent> rows = outbox().fetchPending(10);
        outbox().markDelivered(List.of(rows.get(0).seq(), rows.get(1).seq()), T0.plusSeconds(5));
        assertEquals(4, outbox().countPending());
        assertEquals(T0.plusSeconds(5), store.outbox(0, 10).get(0).publishedAt(), "the admin route shows it sent");
        outbox().park(rows.get(2).seq(), "HTTP 400: refused", T0);
        assertEquals(1, outbox().countParked());
        assertEquals(3, outbox().countPending());
        assertEquals(rows.get(3).seq(), outbox().fetchPending(1).get(0).seq(), "a parked event does not block");
        assertEquals(1, outbox().requeueParked());
        assertEquals(4, outbox().countPending());
        assertEquals(2, outbox().purgeDelivered(T0.plusSeconds(6)));
        assertEquals(4, store.outbox(0, 100).size());
    }

    @Test
    void aRolledBackChangeLeavesNoOutboxEvent() throws Exception {
        send("a", "b", "fills the backlog");
        Message refused = message("a", List.of("b"), "one too many", 5, null, T0);
        assertThrows(BusException.class, () -> store.send(refused, 1, "agent:a"));
        assertNull(store.message(refused.id()), "the message was rolled back");
        assertFalse(store.deleteSubscription("nobody", "operator"));
        assertEquals(List.of("bus.message.send"), pending().stream().map(e -> e.path("action").asText()).toList());
        assertEquals(1, store.outbox(0, 100).size());
    }

    @Test
    void aSendAndAckReachGovernanceOnceInOrderThroughAnOutage() throws Exception {
        try (GovernanceReceiver governance = GovernanceReceiver.start()) {
            governance.failWith(503);
            OutboxRelay relay = OutboxRelay.builder(outbox(), URI.create(governance.url() + "/internal/events"),
                            () -> "a.eyJzdWIiOiJzZXJ2aWNlOmNvbnRleHQtYnVzIn0.c")
                    .name("bus-test").batchSize(2).pollInterval(Duration.ofMillis(50))
                    .backoff(Duration.ofMillis(20), Duration.ofMillis(200)).build();
            ((OutboxAware) store).onOutboxAppend(relay::wake);
            relay.start();
            try {
                Message m = send("a", "b", "x");
                Delivery d = store.claim("b", 1, POLICY, Long.MAX_VALUE, T0, "agent:b").get(0);
                store.ack("b", List.of(new AckRequest(m.id(), d.receipt())), T0, "agent:b");
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (governance.refused() < 3 && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                assertTrue(governance.refused() >= 3, "retried while governance was down");
                assertTrue(governance.events().isEmpty());
                assertEquals(3, relay.stats().pending(), "nothing lost while governance is down");
                governance.failWith(0);
                List<JsonNode> got = governance.await(e -> e.size() >= 3, Duration.ofSeconds(15));
                assertEquals(List.of("bus.message.send", "bus.message.deliver", "bus.message.ack"),
                        got.stream().map(e -> e.path("action").asText()).toList());
                assertEquals(List.of("agent:a", "agent:b", "agent:b"),
                        got.stream().map(e -> e.path("actor").asText()).toList());
                assertTrue(got.stream().allMatch(e -> m.id().equals(e.path("asset").path("id").asText())));
                assertEquals(0, governance.duplicates());
                assertEquals(Set.of("service:context-bus"), governance.subjects());
                until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (relay.stats().pending() > 0 && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                assertEquals(0, relay.stats().pending());
                assertTrue(store.outbox(0, 100).stream().allMatch(e -> e.publishedAt() != null));
            } finally {
                relay.close();
            }
        }
    }
}
