package io.memroos.contract.outbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The outbox and its relay against a real database and a real HTTP receiver; run for SQLite and PostgreSQL. */
abstract class OutboxRelayContractTest {

    abstract Connection connect() throws SQLException;

    abstract Dialect dialect();

    /** A fresh, empty outbox table. */
    abstract void resetSchema() throws SQLException;

    Receiver receiver;
    JdbcOutboxStore store;
    final List<OutboxRelay> relays = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        resetSchema();
        try (Connection c = connect()) {
            Outbox.ensureSchema(c, dialect());
            Outbox.ensureSchema(c, dialect()); // idempotent
        }
        store = new JdbcOutboxStore(this::connect);
        receiver = new Receiver();
    }

    /** Drops what {@link #resetSchema()} made, after the relays stopped. */
    void cleanUp() throws SQLException {
    }

    @AfterEach
    void tearDown() throws SQLException {
        relays.forEach(OutboxRelay::close);
        receiver.close();
        cleanUp();
    }

    OutboxRelay relay(OutboxRelay.Builder b) {
        OutboxRelay r = b.build();
        relays.add(r);
        return r;
    }

    OutboxRelay.Builder builder() {
        return OutboxRelay.builder(store, receiver.endpoint(), () -> "test-token").name("test")
                .pollInterval(Duration.ofMillis(50)).backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    static OutboxEvent event(int n) {
        return OutboxEvent.builder().id("ev-" + n).source("test-service").type("thing.happened").actor("operator")
                .action("thing.do").asset("thing", "t" + n).data("{\"n\":" + n + "}").build();
    }

    List<String> appendCommitted(int from, int to) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            for (int i = from; i < to; i++) {
                OutboxEvent e = event(i);
                Outbox.append(c, e);
                ids.add(e.id());
            }
            c.commit();
        }
        return ids;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        fail("timed out waiting for " + what);
    }

    static void assertOnceInOrder(List<String> expected, List<String> actual) {
        assertEquals(expected.size(), new HashSet<>(actual).size(), "every event arrived");
        assertEquals(expected, actual, "each event exactly once, in order");
    }

    @Test
    void appendIsPartOfTheCallersTransaction() throws Exception {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            Outbox.append(c, event(1));
            c.rollback();
            Outbox.append(c, event(2));
            c.commit();
        }
        assertEquals(1, store.countPending());
        List<PendingEvent> pending = store.fetchPending(10);
        assertEquals("ev-2", pending.get(0).eventId());
        assertEquals(event(2).toJson().replaceAll("\"occurredAt\":\"[^\"]+\"", ""),
                pending.get(0).payload().replaceAll("\"occurredAt\":\"[^\"]+\"", ""));
    }

    @Test
    void aSecondAppendOfTheSameIdFails() throws Exception {
        appendCommitted(1, 2);
        try (Connection c = connect()) {
            assertThrows(SQLException.class, () -> Outbox.append(c, event(1)));
        }
        assertEquals(1, store.countPending());
    }

    @Test
    void governanceDownThenUpLosesNothingDoublesNothingKeepsOrder() throws Exception {
        OutboxRelay relay = relay(builder().batchSize(7));
        relay.start();
        List<String> expected = new ArrayList<>(appendCommitted(0, 30)); // receiver not listening: refused
        await("failures while down", () -> relay.stats().failures() >= 3);
        assertEquals(30, relay.stats().pending());
        assertNotNull(relay.stats().lastError());
        expected.addAll(appendCommitted(30, 50));

        receiver.failNext.set(4); // up, but answering 503 for a while
        receiver.up();
        expected.addAll(appendCommitted(50, 60));
        relay.wake();
        await("all delivered", () -> receiver.accepted.size() >= 60 && relay.stats().pending() == 0);
        assertOnceInOrder(expected, receiver.accepted);
        assertEquals(receiver.accepted, receiver.received, "nothing was sent twice");
        assertEquals("Bearer test-token", receiver.lastAuthorization);
        assertTrue(receiver.batchSizes.stream().allMatch(n -> n <= 7), "batches never exceed the batch size");
        OutboxStats stats = relay.stats();
        assertEquals(60, stats.delivered());
        assertEquals(0, stats.parked());
        assertTrue(stats.failures() >= 7, "refused connections and 503s were counted: " + stats.failures());
        assertNotNull(stats.lastDeliveryAt());
        assertTrue(stats.running());
    }

    @Test
    void eventsWrittenOneByOneUnderLoadTravelInBatches() throws Exception {
        receiver.up();
        OutboxRelay relay = relay(builder().batchSize(200).linger(Duration.ofMillis(150)));
        relay.start();
        List<String> ids = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofMillis(900).toNanos();
        for (int i = 0; System.nanoTime() < end; i++) {
            ids.addAll(appendCommitted(5000 + i, 5001 + i));
            relay.wake(); // as a service does after every commit
            Thread.sleep(5);
        }
        await("all delivered", () -> relay.stats().pending() == 0 && receiver.accepted.size() >= ids.size());
        assertEquals(ids, receiver.accepted, "every event once, in order");
        // ~1 request per linger period, not one per event: 900 ms of writes at most ~10 requests (+ the first)
        assertTrue(receiver.batchSizes.size() <= 12, ids.size() + " events in " + receiver.batchSizes.size()
                + " requests: " + receiver.batchSizes);
        assertTrue(ids.size() >= 40, "the writer kept appending: " + ids.size());
    }

    @Test
    void concurrentWritersWhileGovernanceFlapsLoseNothing() throws Exception {
        receiver.up();
        OutboxRelay relay = relay(builder().batchSize(50));
        relay.start();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<List<String>>> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int base = w * 1000;
                writers.add(pool.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        ids.addAll(appendCommitted(base + i * 2, base + i * 2 + 2));
                        if (i == 10 && base == 0) {
                            receiver.down();
                        }
                        if (i == 25 && base == 0) {
                            receiver.up();
                        }
                    }
                    return ids;
                }));
            }
            HashSet<String> all = new HashSet<>();
            for (Future<List<String>> f : writers) {
                all.addAll(f.get(60, TimeUnit.SECONDS));
            }
            receiver.up();
            relay.wake();
            await("all 240 delivered", () -> relay.stats().pending() == 0 && receiver.accepted.size() >= 240);
            assertEquals(all, new HashSet<>(receiver.accepted));
            assertEquals(240, receiver.accepted.size(), "nothing doubled once ingested by id");
            // a batch is only resent when the receiver went away mid-answer
            assertTrue(receiver.received.size() <= 240 + 2 * 50, "resends bounded: " + receiver.received.size());
            // per writer, its own events arrive in the order it committed them
            for (int w = 0; w < 3; w++) {
                int base = w * 1000;
                List<Integer> mine = receiver.accepted.stream().map(id -> Integer.parseInt(id.substring(3)))
                        .filter(n -> n >= base && n < base + 1000).toList();
                List<Integer> sorted = mine.stream().sorted().toList();
                assertEquals(sorted, mine, "writer " + w + " order kept");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRestartResumesFromTheTable() throws Exception {
        List<String> expected = new ArrayList<>(appendCommitted(0, 20));
        OutboxRelay first = relay(builder().batchSize(5));
        receiver.up();
        // deliver exactly one batch by hand, then "crash"
        first.step();
        assertEquals(5, receiver.accepted.size());
        first.close();
        expected.addAll(appendCommitted(20, 25));

        OutboxRelay second = relay(builder().batchSize(5));
        second.start();
        await("rest delivered", () -> receiver.accepted.size() >= 25 && second.stats().pending() == 0);
        assertOnceInOrder(expected, receiver.accepted);
        assertEquals(receiver.accepted, receiver.received, "nothing was sent twice");
        assertEquals(20, second.stats().delivered());
    }

    @Test
    void aBatchSentButNotMarkedIsSentAgainAndNothingElseIsLost() throws Exception {
        appendCommitted(0, 3);
        receiver.up();
        // the store fails after governance accepted: the relay must not mark, and must resend
        OutboxStore flaky = new OutboxStore() {
            int marks;

            @Override
            public List<PendingEvent> fetchPending(int limit) {
                return store.fetchPending(limit);
            }

            @Override
            public void markDelivered(List<Long> seqs, Instant at) {
                if (marks++ == 0) {
                    throw new IllegalStateException("disk full");
                }
                store.markDelivered(seqs, at);
            }

            @Override
            public void park(long seq, String error, Instant at) {
                store.park(seq, error, at);
            }

            @Override
            public int requeueParked() {
                return store.requeueParked();
            }

            @Override
            public long countPending() {
                return store.countPending();
            }

            @Override
            public long countParked() {
                return store.countParked();
            }

            @Override
            public int purgeDelivered(Instant before) {
                return store.purgeDelivered(before);
            }
        };
        OutboxRelay relay = relay(OutboxRelay.builder(flaky, receiver.endpoint(), () -> "test-token")
                .pollInterval(Duration.ofMillis(50)).backoff(Duration.ofMillis(20), Duration.ofMillis(100)));
        relay.start();
        await("delivered", () -> relay.stats().pending() == 0);
        assertEquals(List.of("ev-0", "ev-1", "ev-2"), receiver.accepted);
        assertEquals(List.of("ev-0", "ev-1", "ev-2", "ev-0", "ev-1", "ev-2"), receiver.received,
                "at least once: the unmarked batch is sent again (governance dedupes by id)");
        assertTrue(relay.stats().lastError().contains("disk full"));
    }

    @Test
    void aRefusedEventIsParkedAndTheRestStillArriveInOrder() throws Exception {
        receiver.up();
        receiver.poison.add("ev-3");
        appendCommitted(0, 8);
        OutboxRelay relay = relay(builder().batchSize(10));
        relay.start();
        await("delivered but the poison", () -> relay.stats().pending() == 0);
        assertEquals(List.of("ev-0", "ev-1", "ev-2", "ev-4", "ev-5", "ev-6", "ev-7"), receiver.accepted);
        OutboxStats stats = relay.stats();
        assertEquals(1, stats.parked());
        assertTrue(stats.lastError().contains("ev-3"), stats.lastError());
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT error FROM outbox WHERE event_id = 'ev-3'")) {
            assertTrue(rs.next());
            assertTrue(rs.getString(1).contains("HTTP 400"), rs.getString(1));
        }
        receiver.poison.clear();
        assertEquals(1, relay.requeueParked());
        await("requeued one delivered", () -> receiver.accepted.size() == 8);
        assertEquals("ev-3", receiver.accepted.get(7));
        assertEquals(0, relay.stats().parked());
    }

    @Test
    void unauthorizedIsRetriedNeverParked() throws Exception {
        receiver.up();
        receiver.expectedToken = "later";
        appendCommitted(0, 2);
        OutboxRelay relay = relay(builder());
        relay.start();
        await("401s", () -> relay.stats().failures() >= 2);
        assertEquals(0, relay.stats().parked());
        assertTrue(relay.stats().lastError().contains("HTTP 401"));
        receiver.expectedToken = "test-token";
        await("delivered", () -> relay.stats().pending() == 0);
        assertEquals(List.of("ev-0", "ev-1"), receiver.accepted);
    }

    @Test
    void aTokenSupplierFailureIsRetried() throws Exception {
        receiver.up();
        appendCommitted(0, 1);
        int[] calls = {0};
        OutboxRelay relay = relay(OutboxRelay.builder(store, receiver.endpoint(), () -> {
            if (calls[0]++ < 2) {
                throw new IllegalStateException("no signing key yet");
            }
            return "test-token";
        }).pollInterval(Duration.ofMillis(50)).backoff(Duration.ofMillis(10), Duration.ofMillis(50)));
        relay.start();
        await("delivered", () -> relay.stats().pending() == 0);
        assertEquals(List.of("ev-0"), receiver.accepted);
        assertTrue(relay.stats().failures() >= 2);
    }

    @Test
    void deliveredRowsArePurgedAfterTheRetention() throws Exception {
        receiver.up();
        appendCommitted(0, 4);
        Instant[] now = {Instant.parse("2026-11-24T00:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        OutboxRelay relay = relay(builder().clock(clock).retention(Duration.ofHours(1), Duration.ofMinutes(1)));
        relay.step();
        assertEquals(4, receiver.accepted.size());
        assertEquals(4, rows());
        now[0] = now[0].plus(Duration.ofMinutes(30));
        appendCommitted(4, 5);
        relay.step(); // purge due but nothing old enough; sends ev-4
        assertEquals(5, rows());
        now[0] = now[0].plus(Duration.ofMinutes(45));
        relay.step(); // the first four are 75 min old, ev-4 45 min
        assertEquals(1, rows());
        assertEquals(0, store.countPending());
    }

    @Test
    void deliveryIsInSeqOrderAcrossBatches() throws Exception {
        receiver.up();
        List<String> expected = appendCommitted(0, 1203);
        OutboxRelay relay = relay(builder().batchSize(500));
        relay.start();
        await("all", () -> relay.stats().pending() == 0);
        assertOnceInOrder(expected, receiver.accepted);
        assertEquals(List.of(500, 500, 203), receiver.batchSizes);
    }

    @Test
    void markDeliveredTouchesOnlyTheListedRows() throws Exception {
        appendCommitted(0, 5);
        List<PendingEvent> pending = store.fetchPending(5);
        store.markDelivered(List.of(pending.get(1).seq(), pending.get(3).seq()), Instant.now());
        assertEquals(List.of("ev-0", "ev-2", "ev-4"),
                store.fetchPending(5).stream().map(PendingEvent::eventId).toList());
        assertEquals(3, store.countPending());
    }

    @Test
    void builderRefusesBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> builder().batchSize(501));
        assertThrows(IllegalArgumentException.class, () -> builder().batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> builder().pollInterval(Duration.ZERO));
    }

    int rows() throws SQLException {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM outbox");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
