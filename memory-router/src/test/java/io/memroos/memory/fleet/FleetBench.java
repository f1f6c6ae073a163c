package io.memroos.memory.fleet;

import io.memroos.memory.sqlite.SqliteFixture;
import io.memroos.memory.sqlite.SqliteGraphStore;
import io.memroos.memory.sqlite.SqliteMemoryStore;
import io.memroos.memory.store.Entity;
import io.memroos.memory.store.GraphStore;
import io.memroos.memory.store.MemoryStore;
import io.memroos.memory.store.NewFact;
import io.memroos.memory.store.Receipt;
import io.memroos.memory.store.Scope;
import io.memroos.memory.store.WriteBatch;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A benchmark program (not a test): the records write path and the graph neighbourhood on the fleet backends
 * beside the embedded ones, on this machine. Run from memory-router after {@code mvn test-compile}:
 * <pre>
 * mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.memroos.memory.fleet.FleetBench [facts] [entities]
 * </pre>
 * Prints write throughput (facts/s in batches of 20, embeddings of 384 floats, one receipt per batch) and the
 * neighbourhood latency p50/p95/p99 (depth 2) for SQLite vs PostgreSQL records and SQLite vs Neo4j graph.
 */
public final class FleetBench {

    private FleetBench() {
    }

    public static void main(String[] args) throws Exception {
        int facts = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int entities = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        System.out.printf("fleet bench: %d facts, %d entities, load %s%n", facts, entities,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        MemoryStore sqlite = new SqliteMemoryStore(SqliteFixture.fresh(), new ReentrantLock());
        writes("sqlite", sqlite, facts);
        try (PgFixture pg = new PgFixture()) {
            writes("postgres", pg.backend.memoryStore(), facts);
        }
        ReentrantLock lock = new ReentrantLock();
        neighbourhoods("sqlite", new SqliteGraphStore(SqliteFixture.fresh(), lock), entities);
        try (PgFixture pg = new PgFixture()) {
            neighbourhoods("postgres", pg.backend.graphStore(), entities);
        }
        try (IsolatedNeo4j neo4j = IsolatedNeo4j.start();
             Driver driver = GraphDatabase.driver(neo4j.boltUri(), AuthTokens.none())) {
            neighbourhoods("neo4j", new Neo4jGraphStore(driver, null), entities);
        }
    }

    private static void writes(String name, MemoryStore store, int facts) {
        Random rnd = new Random(1);
        Scope s = new Scope("bench-" + UUID.randomUUID(), "u1", null);
        Receipt receipt = new Receipt("write", "agent:" + s.agentId(), s, List.of(), "bench");
        long t0 = System.nanoTime();
        for (int done = 0; done < facts; done += 20) {
            List<NewFact> batch = new ArrayList<>();
            for (int i = done; i < Math.min(facts, done + 20); i++) {
                float[] v = new float[384];
                for (int k = 0; k < v.length; k++) {
                    v[k] = rnd.nextFloat();
                }
                String text = "memory number " + i + " about topic " + (i % 97);
                batch.add(new NewFact("mem_" + UUID.randomUUID(), s, text, text, java.util.Map.of("i", i), v,
                        Instant.now()));
            }
            store.write(new WriteBatch(batch, List.of(), receipt));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("records %-8s writes: %6.0f facts/s (%d facts in %.1f s)%n", name, facts / secs, facts, secs);
    }

    private static void neighbourhoods(String name, GraphStore graph, int entities) {
        Random rnd = new Random(2);
        Scope s = new Scope("bench-" + UUID.randomUUID(), "u1", null);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        List<Entity> all = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < entities; i++) {
            all.add(graph.upsertEntity(s, "entity " + i, "thing", null, t));
        }
        for (int i = 0; i < entities * 2; i++) {
            graph.addRelation(s, all.get(rnd.nextInt(entities)).id(), "rel", all.get(rnd.nextInt(entities)).id(),
                    null, null, null, t);
        }
        double build = (System.nanoTime() - t0) / 1e9;
        for (int i = 0; i < 50; i++) {
            graph.neighbourhood(s, List.of(all.get(rnd.nextInt(entities)).id()), 2, t.plusSeconds(1));
        }
        int n = 300;
        long[] ns = new long[n];
        for (int i = 0; i < n; i++) {
            long a = System.nanoTime();
            graph.neighbourhood(s, List.of(all.get(rnd.nextInt(entities)).id()), 2, t.plusSeconds(1));
            ns[i] = System.nanoTime() - a;
        }
        Arrays.sort(ns);
        System.out.printf("graph   %-8s build %d entities + %d relations: %.1f s; neighbourhood depth 2: "
                        + "p50 %.2f ms, p95 %.2f ms, p99 %.2f ms%n", name, entities, entities * 2, build,
                ns[n / 2] / 1e6, ns[n * 95 / 100] / 1e6, ns[n * 99 / 100] / 1e6);
        graph.close();
    }
}
