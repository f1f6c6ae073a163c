package io.memroos.memory.fleet;

import io.memroos.memory.store.GraphStore;
import io.memroos.memory.store.MemoryStore;
import io.memroos.memory.store.VectorIndex;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.util.Locale;
import java.util.Optional;

/**
 * Opens the fleet backends that {@link FleetConfig} selects, once, and closes them at shutdown. The router's
 * wiring asks it first and falls back to the embedded backend when it answers empty.
 */
@Singleton
public class FleetBackends {

    private static final Logger LOG = Logger.getLogger(FleetBackends.class);

    private final FleetConfig config;
    private PgMemoryBackend postgres;
    private Neo4jGraphStore neo4j;
    private QdrantVectorIndex qdrant;

    public FleetBackends(FleetConfig config) {
        this.config = config;
        check("memroos.memory.store", config.store(), "sqlite", "postgres");
        check("memroos.memory.graph", config.graph(), "sqlite", "neo4j");
        check("memroos.memory.vector", config.vector(), "lucene", "qdrant");
    }

    private static void check(String key, String value, String... allowed) {
        for (String a : allowed) {
            if (a.equals(value.toLowerCase(Locale.ROOT))) {
                return;
            }
        }
        throw new IllegalStateException(key + " must be one of " + String.join(", ", allowed) + ", not " + value);
    }

    public boolean postgresRecords() {
        return "postgres".equalsIgnoreCase(config.store());
    }

    public boolean neo4jGraph() {
        return "neo4j".equalsIgnoreCase(config.graph());
    }

    public boolean qdrantVectors() {
        return "qdrant".equalsIgnoreCase(config.vector());
    }

    static PgMemoryBackend.Settings postgresSettings(FleetConfig.Postgres p) {
        return new PgMemoryBackend.Settings(p.url(), p.user(), p.password().orElse(null), p.schema(), p.poolSize());
    }

    static Neo4jGraphStore.Settings neo4jSettings(FleetConfig.Neo4j n) {
        return new Neo4jGraphStore.Settings(n.uri(), n.user().orElse(null), n.password().orElse(null),
                n.database().orElse(null));
    }

    static QdrantVectorIndex.Settings qdrantSettings(FleetConfig.Qdrant q) {
        return new QdrantVectorIndex.Settings(q.url(), q.apiKey().orElse(null), q.collectionPrefix());
    }

    private synchronized PgMemoryBackend postgres() {
        if (postgres == null) {
            PgMemoryBackend.Settings s = postgresSettings(config.postgres());
            postgres = PgMemoryBackend.open(s);
            LOG.infof("memory records: postgresql at %s", s.describe());
        }
        return postgres;
    }

    /** The PostgreSQL records when {@code store=postgres}, else empty (the embedded SQLite store). */
    public Optional<MemoryStore> memoryStore() {
        return postgresRecords() ? Optional.of(postgres().memoryStore()) : Optional.empty();
    }

    /**
     * The graph when it does not live in the embedded SQLite file: Neo4j when {@code graph=neo4j}, the PostgreSQL
     * graph tables when {@code store=postgres}; else empty.
     */
    public synchronized Optional<GraphStore> graphStore() {
        if (neo4jGraph()) {
            if (neo4j == null) {
                Neo4jGraphStore.Settings s = neo4jSettings(config.neo4j());
                neo4j = Neo4jGraphStore.open(s);
                LOG.infof("memory graph: neo4j at %s", s.describe());
            }
            return Optional.of(neo4j);
        }
        if (postgresRecords()) {
            LOG.info("memory graph: postgresql, beside the records");
            return Optional.of(postgres().graphStore());
        }
        return Optional.empty();
    }

    /** Where the outbox of receipts lives when the records are not in SQLite. */
    public Optional<DataSource> recordsDataSource() {
        return postgresRecords() ? Optional.of(postgres().dataSource()) : Optional.empty();
    }

    /**
     * The index to write and search vectors with: {@code local} itself, or with {@code vector=qdrant} both,
     * Qdrant answering nearest-neighbour queries ({@link DualIndex}).
     */
    public synchronized VectorIndex vectors(VectorIndex local, String model, int dimension) {
        if (!qdrantVectors()) {
            return local;
        }
        if (qdrant == null) {
            QdrantVectorIndex.Settings s = qdrantSettings(config.qdrant());
            qdrant = QdrantVectorIndex.open(s, model, dimension);
            LOG.infof("memory vectors: qdrant collection %s at %s (%s, %d dimensions); lucene keeps the keywords",
                    qdrant.collection(), config.qdrant().url(), model, dimension);
        }
        return new DualIndex(local, qdrant);
    }

    @PreDestroy
    synchronized void close() {
        if (qdrant != null) {
            qdrant.close();
        }
        if (neo4j != null) {
            neo4j.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
