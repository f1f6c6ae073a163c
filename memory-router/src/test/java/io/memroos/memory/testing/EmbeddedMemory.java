package io.memroos.memory.testing;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.memroos.memory.domain.DeterministicExtractor;
import io.memroos.memory.domain.EvalService;
import io.memroos.memory.domain.Extractor;
import io.memroos.memory.domain.MemoryIndexer;
import io.memroos.memory.domain.MemoryLimits;
import io.memroos.memory.domain.MemoryService;
import io.memroos.memory.domain.RecallService;
import io.memroos.memory.domain.RecallWeights;
import io.memroos.memory.embed.Embedder;
import io.memroos.memory.embed.OnnxEmbedder;
import io.memroos.memory.lucene.LuceneIndex;
import io.memroos.memory.sqlite.SqliteFixture;
import io.memroos.memory.sqlite.SqliteGraphStore;
import io.memroos.memory.sqlite.SqliteMemoryStore;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded backend wired by hand, without Quarkus (for index rebuild tests, fusion tuning and the
 * benchmark): a real SQLite file, a real Lucene directory and the real in-jar embedding model (or the given one).
 */
public final class EmbeddedMemory implements AutoCloseable {

    public static final RecallWeights DEFAULT_WEIGHTS = new RecallWeights("weighted", 1.0, 0.25, 0.3, 0.05, 0.3, 60,
            Duration.ofDays(30), 50);
    public static final MemoryLimits LIMITS = new MemoryLimits(20, 8000, 2000, 32768, 200, 32);

    public final Path dir;
    public final DataSource dataSource;
    public final SqliteMemoryStore store;
    public final SqliteGraphStore graph;
    public final Embedder embedder;
    public final LuceneIndex index;
    public final MemoryIndexer indexer;
    public final MemoryService memory;
    public final RecallService recall;
    public final EvalService evals;
    private final ExecutorService jobs = Executors.newSingleThreadExecutor();
    private final boolean ownEmbedder;

    public EmbeddedMemory(Path dir, Embedder embedder, RecallWeights weights) throws Exception {
        this(dir, embedder, weights, false);
    }

    /**
     * @param pooled SQLite behind a connection pool (Agroal, 2..8 connections, the JDBC URL of
     *               {@code application.properties}), as the service wires it (the benchmark); otherwise a plain data
     *               source that opens a connection per call (tests)
     */
    public EmbeddedMemory(Path dir, Embedder embedder, RecallWeights weights, boolean pooled) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir);
        if (pooled) {
            String url = "jdbc:sqlite:" + dir.resolve("memory.db")
                    + "?journal_mode=WAL&busy_timeout=5000&foreign_keys=true&synchronous=NORMAL";
            dataSource = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                    .connectionPoolConfiguration(p -> p.minSize(2).maxSize(8).connectionFactoryConfiguration(
                            f -> f.jdbcUrl(url).connectionProviderClassName("org.sqlite.JDBC"))));
        } else {
            dataSource = SqliteFixture.at(dir.resolve("memory.db"));
        }
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        ReentrantLock writer = new ReentrantLock();
        store = new SqliteMemoryStore(dataSource, writer);
        graph = new SqliteGraphStore(dataSource, writer);
        this.ownEmbedder = embedder == null;
        this.embedder = embedder == null ? new OnnxEmbedder(2, "", 4096) : embedder;
        index = LuceneIndex.open(dir.resolve("memory-index"), this.embedder.modelId(), this.embedder.dimension());
        indexer = new MemoryIndexer(store, index, this.embedder);
        indexer.catchUp();
        Extractor extractor = new DeterministicExtractor();
        memory = new MemoryService(store, graph, index, indexer, this.embedder, () -> extractor, jobs, LIMITS,
                Clock.systemUTC());
        recall = new RecallService(store, graph, index, index, this.embedder,
                weights == null ? DEFAULT_WEIGHTS : weights, LIMITS, Clock.systemUTC());
        evals = new EvalService(memory, recall, indexer, graph, 200_000, 10_000, Clock.systemUTC());
    }

    @Override
    public void close() {
        jobs.shutdownNow();
        indexer.commit();
        index.close();
        if (ownEmbedder && embedder instanceof OnnxEmbedder o) {
            o.close();
        }
        if (dataSource instanceof AgroalDataSource pool) {
            pool.close();
        }
    }
}
