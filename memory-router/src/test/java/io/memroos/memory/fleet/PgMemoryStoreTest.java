package io.memroos.memory.fleet;

import io.memroos.memory.store.Fact;
import io.memroos.memory.store.MemoryStore;
import io.memroos.memory.store.MemoryStoreContractTest;
import io.memroos.memory.store.NewFact;
import io.memroos.memory.store.Scope;
import io.memroos.memory.store.WriteBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared records suite on the real PostgreSQL (a fresh schema per test), plus what only PostgreSQL has. */
class PgMemoryStoreTest extends MemoryStoreContractTest {

    private PgFixture pg;

    @Override
    protected MemoryStore freshStore() {
        pg = new PgFixture();
        return pg.backend.memoryStore();
    }

    @Override
    protected long outboxCount() throws Exception {
        return pg.count("outbox");
    }

    @AfterEach
    void dropSchema() throws Exception {
        pg.close();
    }

    @Test
    void aFailedBatchWritesNothing() throws Exception {
        Scope s = Scope.agent("a-" + unique());
        NewFact f = fact(s, "fine", Map.of(), T0);
        NewFact sameId = new NewFact(f.id(), s, "other text", "other text", null, null, T0);
        assertThrows(RuntimeException.class, () -> store.write(new WriteBatch(List.of(f, sameId), List.of(), receipt(s))));
        assertEquals(0, pg.count("facts"));
        assertEquals(0, outboxCount());
        assertEquals(0, store.maxSeq());
    }

    @Test
    void receiptsAreGovernanceEnvelopes() throws Exception {
        Scope s = new Scope("a-" + unique(), "u1", null);
        String id = write(s, "Maria likes tea").facts().get(0).id();
        try (Connection c = pg.backend.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT payload FROM outbox ORDER BY seq")) {
            assertTrue(rs.next());
            Map<String, Object> env = Pg.map(rs.getString(1));
            assertEquals(1, pg.count("outbox"));
            assertEquals("memory.receipt", env.get("type"));
            assertEquals("memory-router", env.get("source"));
            assertEquals("agent:" + s.agentId(), env.get("actor"));
            assertEquals(List.of(id), ((Map<?, ?>) env.get("data")).get("ids"));
        }
    }

    @Test
    void concurrentWritersGetDistinctSeqsInCommitOrder() throws Exception {
        // two pools = two router instances on the same schema
        try (PgMemoryBackend second = PgMemoryBackend.open(pg.backend.settings())) {
            MemoryStore other = second.memoryStore();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<WriteBatch.Result>> futures = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    MemoryStore target = i % 2 == 0 ? store : other;
                    Scope s = Scope.agent("a-" + (i % 3));
                    String text = "concurrent fact " + i;
                    futures.add(pool.submit(() -> target.write(new WriteBatch(
                            List.of(fact(s, text, Map.of(), T0)), List.of(), receipt(s)))));
                }
                for (Future<WriteBatch.Result> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            List<MemoryStore.Change> changes = store.changesSince(0, 1000);
            assertEquals(40, changes.size());
            assertEquals(40, Set.copyOf(changes.stream().map(MemoryStore.Change::seq).toList()).size());
            assertEquals(changes.get(39).seq(), other.maxSeq());
            // an index that followed the counter at any moment would have seen every fact: seqs have no holes
            for (int i = 1; i < changes.size(); i++) {
                assertEquals(changes.get(i - 1).seq() + 1, changes.get(i).seq());
            }
        }
    }

    @Test
    void metadataRoundTripsThroughJsonb() {
        Scope s = Scope.agent("a-" + unique());
        NewFact f = fact(s, "typed", Map.of("n", 3, "x", 4.5, "ok", true, "tags", List.of("a", "b")), T0);
        store.write(new WriteBatch(List.of(f), List.of(), receipt(s)));
        Fact got = store.get(f.id()).orElseThrow();
        assertEquals(3, ((Number) got.metadata().get("n")).intValue());
        assertEquals(4.5, ((Number) got.metadata().get("x")).doubleValue());
        assertEquals(true, got.metadata().get("ok"));
        assertEquals(List.of("a", "b"), got.metadata().get("tags"));
    }
}
