package io.memroos.memory.bench;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.memroos.memory.domain.DeterministicExtractor;
import io.memroos.memory.domain.EvalService;
import io.memroos.memory.domain.Extractor;
import io.memroos.memory.domain.MemoryIndexer;
import io.memroos.memory.domain.MemoryService;
import io.memroos.memory.domain.RecallService;
import io.memroos.memory.embed.Embedder;
import io.memroos.memory.lucene.LuceneIndex;
import io.memroos.memory.sqlite.SqliteGraphStore;
import io.memroos.memory.sqlite.SqliteMemoryStore;
import io.memroos.memory.testing.EmbeddedMemory;
import org.flywaydb.core.Flyway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded backend wired for the benchmark as the service wires it: SQLite behind a connection pool (Agroal,
 * 2..8 connections, the JDBC URL of {@code application.properties}), Lucene, the given embedder, the default
 * fusion weights. ({@link EmbeddedMemory}, for tests, opens a connection per call, which a service never does.)
 */
final class BenchMemory implements AutoCloseable {

    final AgroalDataSource dataSource;
    final SqliteMemoryStore store;
    final LuceneIndex index;
    final MemoryIndexer indexer;
    final MemoryService memory;
    final RecallService recall;
    final EvalService evals;
    private final ExecutorService jobs = Executors.newSingleThreadExecutor();

    BenchMemory(Path dir, Embedder embedder) throws Exception {
        Files.createDirectories(dir);
        String url = "jdbc:sqlite:" + dir.resolve("memory.db")
                + "?journal_mode=WAL&busy_timeout=5000&foreign_keys=true&synchronous=NORMAL";
        dataSource = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(p -> p.minSize(2).maxSize(8)
                        .connectionFactoryConfiguration(f -> f.jdbcUrl(url).connectionProviderClassName("org.sqlite.JDBC"))));
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        ReentrantLock writer = new ReentrantLock();
        store = new SqliteMemoryStore(dataSource, writer);
        SqliteGraphStore graph = new SqliteGraphStore(dataSource, writer);
        index = LuceneIndex.open(dir.resolve("memory-index"), embedder.modelId(), embedder.dimension());
        indexer = new MemoryIndexer(store, index, embedder);
        indexer.catchUp();
        Extractor extractor = new DeterministicExtractor();
        memory = new MemoryService(store, graph, index, indexer, embedder, () -> extractor, jobs,
                EmbeddedMemory.LIMITS, Clock.systemUTC());
        recall = new RecallService(store, graph, index, index, embedder, EmbeddedMemory.DEFAULT_WEIGHTS,
                EmbeddedMemory.LIMITS, Clock.systemUTC());
        evals = new EvalService(memory, recall, indexer, graph, 200_000, 10_000, Clock.systemUTC());
    }

    @Override
    public void close() {
        jobs.shutdownNow();
        indexer.commit();
        index.close();
        dataSource.close();
    }
}
