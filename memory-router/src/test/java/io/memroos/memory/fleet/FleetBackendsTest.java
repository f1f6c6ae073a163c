package io.memroos.memory.fleet;

import io.memroos.memory.lucene.LuceneIndex;
import io.memroos.memory.store.GraphStore;
import io.memroos.memory.store.MemoryStore;
import io.memroos.memory.store.NewFact;
import io.memroos.memory.store.Receipt;
import io.memroos.memory.store.Scope;
import io.memroos.memory.store.StoreException;
import io.memroos.memory.store.WriteBatch;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Selection by configuration: the embedded default, PostgreSQL for real, Neo4j/Qdrant refusing a dead address. */
class FleetBackendsTest {

    private static FleetConfig config(Map<String, String> values) {
        SmallRyeConfig c = new SmallRyeConfigBuilder().withMapping(FleetConfig.class)
                .withDefaultValues(values).build();
        return c.getConfigMapping(FleetConfig.class);
    }

    private static int deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theDefaultIsTheEmbeddedBackend() throws Exception {
        FleetBackends fleet = new FleetBackends(config(Map.of()));
        assertTrue(fleet.memoryStore().isEmpty());
        assertTrue(fleet.graphStore().isEmpty());
        assertTrue(fleet.recordsDataSource().isEmpty());
        Path dir = Path.of("target", "fleet-test", UUID.randomUUID().toString());
        Files.createDirectories(dir);
        try (LuceneIndex lucene = LuceneIndex.open(dir, "m", 4)) {
            assertSame(lucene, fleet.vectors(lucene, "m", 4));
        }
        fleet.close();
    }

    @Test
    void postgresServesRecordsGraphAndOutbox() throws Exception {
        String schema = "memfleet_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Map<String, String> values = new HashMap<>();
        values.put("memroos.memory.store", "postgres");
        values.put("memroos.memory.postgres.url", PgFixture.URL);
        values.put("memroos.memory.postgres.user", PgFixture.USER);
        values.put("memroos.memory.postgres.schema", schema);
        values.put("memroos.memory.postgres.pool-size", "2");
        FleetBackends fleet = new FleetBackends(config(values));
        try {
            MemoryStore store = fleet.memoryStore().orElseThrow();
            assertInstanceOf(PgMemoryStore.class, store);
            GraphStore graph = fleet.graphStore().orElseThrow();
            assertInstanceOf(PgGraphStore.class, graph);
            Scope s = Scope.agent("a1");
            store.write(new WriteBatch(List.of(new NewFact("mem_1", s, "hello", "hello", null, new float[]{1, 0},
                    Instant.EPOCH)), List.of(), new Receipt("write", "agent:a1", s, List.of(), "test")));
            assertEquals("hello", store.get("mem_1").orElseThrow().text());
            assertEquals("Tom", graph.upsertEntity(s, "Tom", null, null, Instant.EPOCH).name());
            try (Connection c = fleet.recordsDataSource().orElseThrow().getConnection();
                 Statement st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM outbox")) {
                rs.next();
                assertEquals(1, rs.getLong(1), "the receipt went to the PostgreSQL outbox");
            }
        } finally {
            fleet.close();
            try (Connection c = DriverManager.getConnection("jdbc:" + PgFixture.URL, PgFixture.USER, null);
                 Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Test
    void neo4jAndQdrantAtADeadAddressAreUnavailable() throws Exception {
        int port = deadPort();
        FleetBackends fleet = new FleetBackends(config(Map.of("memroos.memory.graph", "neo4j",
                "memroos.memory.neo4j.uri", "bolt://127.0.0.1:" + port, "memroos.memory.vector", "qdrant",
                "memroos.memory.qdrant.url", "http://127.0.0.1:" + port)));
        assertEquals(StoreException.Kind.UNAVAILABLE,
                assertThrows(StoreException.class, fleet::graphStore).kind());
        Path dir = Path.of("target", "fleet-test", UUID.randomUUID().toString());
        Files.createDirectories(dir);
        try (LuceneIndex lucene = LuceneIndex.open(dir, "m", 4)) {
            assertEquals(StoreException.Kind.UNAVAILABLE,
                    assertThrows(StoreException.class, () -> fleet.vectors(lucene, "m", 4)).kind());
        }
        fleet.close();
    }

    @Test
    void anUnknownChoiceIsRefusedAtStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new FleetBackends(config(Map.of("memroos.memory.vector", "faiss"))));
        assertTrue(e.getMessage().contains("memroos.memory.vector"));
    }
}
