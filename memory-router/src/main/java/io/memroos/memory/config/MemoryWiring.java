package io.memroos.memory.config;

import io.agroal.api.AgroalDataSource;
import io.memroos.memory.domain.DeterministicExtractor;
import io.memroos.memory.domain.EvalService;
import io.memroos.memory.domain.Extractor;
import io.memroos.memory.domain.LlmExtractor;
import io.memroos.memory.domain.MemoryIndexer;
import io.memroos.memory.domain.MemoryLimits;
import io.memroos.memory.domain.MemoryService;
import io.memroos.memory.domain.RecallService;
import io.memroos.memory.domain.RecallWeights;
import io.memroos.memory.embed.Embedder;
import io.memroos.memory.embed.OnnxEmbedder;
import io.memroos.memory.embed.RemoteEmbedder;
import io.memroos.memory.fleet.FleetBackends;
import io.memroos.memory.llm.ModelClients;
import io.memroos.memory.llm.ModelEndpoint;
import io.memroos.memory.lucene.LuceneIndex;
import io.memroos.memory.sqlite.SqliteGraphStore;
import io.memroos.memory.sqlite.SqliteMemoryStore;
import io.memroos.memory.store.GraphStore;
import io.memroos.memory.store.MemoryStore;
import io.memroos.memory.store.VectorIndex;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/** Builds the plain-Java domain from configuration: the one place that knows which backend is in use. */
@Singleton
class MemoryWiring {

    private static final Logger LOG = Logger.getLogger(MemoryWiring.class);

    private final MemoryConfig config;
    private final Path dataDir;
    private final ReentrantLock sqliteWriter = new ReentrantLock();

    MemoryWiring(MemoryConfig config, @ConfigProperty(name = "memroos.data-dir") String dataDir) {
        this.config = config;
        this.dataDir = Path.of(dataDir).toAbsolutePath();
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    MemoryStore memoryStore(AgroalDataSource dataSource, FleetBackends fleet) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dataDir, e);
        }
        if (fleet.postgresRecords()) {
            return fleet.memoryStore().orElseThrow();
        }
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        LOG.infof("memory records: sqlite at %s", dataDir.resolve("memory.db"));
        return new SqliteMemoryStore(dataSource, sqliteWriter);
    }

    @Produces
    @Singleton
    GraphStore graphStore(AgroalDataSource dataSource, MemoryStore records, FleetBackends fleet) {
        return fleet.graphStore().orElseGet(() -> new SqliteGraphStore(dataSource, sqliteWriter));
    }

    @Produces
    @Singleton
    Embedder embedder() {
        MemoryConfig.Embedding e = config.embedding();
        String prefix = "none".equals(e.queryPrefix()) ? "" : e.queryPrefix();
        if ("embedded".equals(e.provider())) {
            return new OnnxEmbedder(Math.max(1, e.threads()), prefix, e.queryCacheSize());
        }
        ModelEndpoint endpoint = endpoint("memroos.memory.embedding", e.provider(), e.baseUrl(), e.model(),
                e.apiKey(), e.timeout(), "embedded, openai or ollama");
        int dimension = e.dimension().orElseThrow(() -> new IllegalStateException(
                "memroos.memory.embedding.dimension is required with provider " + e.provider()
                        + " (the dimension of the model's vectors, recorded with the index)"));
        LOG.infof("memory embeddings: %s, %d dimensions", endpoint, dimension);
        return new RemoteEmbedder(ModelClients.embeddings(endpoint), endpoint.provider(), endpoint.model(), dimension,
                prefix, e.queryCacheSize());
    }

    /** A model endpoint from configuration, refusing a bad one at start with the key to fix. */
    private static ModelEndpoint endpoint(String prefix, String provider, Optional<String> baseUrl,
                                          Optional<String> model, Optional<String> apiKey, Duration timeout,
                                          String choices) {
        if (!ModelEndpoint.OPENAI.equals(provider) && !ModelEndpoint.OLLAMA.equals(provider)) {
            throw new IllegalStateException(prefix + ".provider must be " + choices + ", not " + provider);
        }
        String base = baseUrl.filter(b -> !b.isBlank()).orElseThrow(() -> new IllegalStateException(
                prefix + ".base-url is required with provider " + provider));
        String name = model.filter(m -> !m.isBlank()).orElseThrow(() -> new IllegalStateException(
                prefix + ".model is required with provider " + provider));
        return new ModelEndpoint(provider, base, name, apiKey.orElse(null), timeout);
    }

    void closeEmbedder(@Disposes Embedder embedder) {
        if (embedder instanceof OnnxEmbedder o) {
            o.close();
        }
    }

    @Produces
    @Singleton
    LuceneIndex index(Embedder embedder) {
        Path dir = Path.of(config.index().directory());
        if (!dir.isAbsolute()) {
            dir = dataDir.resolve(dir);
        }
        LOG.infof("memory index: lucene at %s (%s, %d dimensions)", dir, embedder.modelId(), embedder.dimension());
        return LuceneIndex.open(dir, embedder.modelId(), embedder.dimension());
    }

    /** Where vectors are written and searched: Lucene, or Lucene and Qdrant with memroos.memory.vector=qdrant. */
    @Produces
    @Singleton
    @Named("memory-vectors")
    VectorIndex vectors(LuceneIndex index, Embedder embedder, FleetBackends fleet) {
        return fleet.vectors(index, embedder.modelId(), embedder.dimension());
    }

    @Produces
    @Singleton
    MemoryIndexer indexer(MemoryStore store, @Named("memory-vectors") VectorIndex index, Embedder embedder) {
        return new MemoryIndexer(store, index, embedder);
    }

    @Produces
    @Singleton
    MemoryLimits limits() {
        MemoryConfig.Limits l = config.limits();
        return new MemoryLimits(l.syncMaxItems(), l.syncMaxChars(), l.maxItems(), l.maxContentChars(),
                l.maxPageSize(), l.maxMetadataKeys());
    }

    @Produces
    @Singleton
    RecallWeights weights() {
        MemoryConfig.RecallSettings r = config.recall();
        return new RecallWeights(r.fusion(), r.vector(), r.keyword(), r.graph(), r.recency(), r.neighbours(),
                r.rrfK(), r.halfLife(), r.candidates());
    }

    /** Built at start, so that a bad model configuration stops the service there, not at the first write. */
    @Produces
    @Singleton
    @Startup
    Extractor extractor() {
        MemoryConfig.Llm llm = config.llm();
        if ("none".equals(llm.provider())) {
            LOG.info("memory pipeline: deterministic (no language model configured)");
            return new DeterministicExtractor();
        }
        ModelEndpoint endpoint = endpoint("memroos.memory.llm", llm.provider(), llm.baseUrl(), llm.model(),
                llm.apiKey(), llm.timeout(), "none, openai or ollama");
        LOG.infof("memory pipeline: language model %s", endpoint);
        return new LlmExtractor(ModelClients.chat(endpoint));
    }

    @Produces
    @Singleton
    @Named("memory-jobs")
    ExecutorService jobs() {
        AtomicInteger n = new AtomicInteger();
        int threads = Math.max(1, config.jobs().threads());
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(Math.max(1, config.jobs().queue())), r -> {
                    Thread t = new Thread(r, "memory-job-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    void closeJobs(@Disposes @Named("memory-jobs") ExecutorService jobs) {
        jobs.shutdownNow();
    }

    @Produces
    @Singleton
    MemoryService memoryService(MemoryStore store, GraphStore graph, @Named("memory-vectors") VectorIndex index,
                                MemoryIndexer indexer,
                                Embedder embedder, Extractor extractor, @Named("memory-jobs") ExecutorService jobs,
                                MemoryLimits limits, Clock clock) {
        return new MemoryService(store, graph, index, indexer, embedder, () -> extractor, jobs, limits, clock);
    }

    @Produces
    @Singleton
    RecallService recallService(MemoryStore store, GraphStore graph, LuceneIndex index,
                                @Named("memory-vectors") VectorIndex vectors, Embedder embedder,
                                RecallWeights weights, MemoryLimits limits, Clock clock) {
        return new RecallService(store, graph, vectors, index, embedder, weights, limits, clock);
    }

    @Produces
    @Singleton
    EvalService evalService(MemoryService memory, RecallService recall, MemoryIndexer indexer, GraphStore graph,
                            Clock clock) {
        return new EvalService(memory, recall, indexer, graph, config.evals().maxDocuments(),
                config.evals().maxQueries(), clock);
    }
}
