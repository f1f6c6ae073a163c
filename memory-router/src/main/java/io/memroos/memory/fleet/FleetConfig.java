package io.memroos.memory.fleet;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * Which backends the router uses ({@code memroos.memory.store|graph|vector}) and where the fleet ones live. The
 * defaults are the embedded backend: SQLite records and graph, Lucene vectors. See "Fleet backends" in
 * docs/memory-router.md.
 */
@ConfigMapping(prefix = "memroos.memory")
public interface FleetConfig {

    /** {@code sqlite} (embedded) or {@code postgres}. */
    @WithDefault("sqlite")
    String store();

    /**
     * {@code sqlite} (embedded: the graph tables beside the records, in SQLite or, with {@code store=postgres}, in
     * PostgreSQL) or {@code neo4j}.
     */
    @WithDefault("sqlite")
    String graph();

    /** {@code lucene} (embedded) or {@code qdrant} (Lucene then serves only the BM25 keywords). */
    @WithDefault("lucene")
    String vector();

    Postgres postgres();

    Neo4j neo4j();

    Qdrant qdrant();

    interface Postgres {
        /** {@code postgresql://host:5432/database}. */
        @WithDefault("postgresql://127.0.0.1:5432/postgres")
        String url();

        @WithDefault("postgres")
        String user();

        Optional<String> password();

        /** The schema of the memory tables (created and migrated at start). */
        @WithDefault("memory")
        String schema();

        @WithDefault("8")
        int poolSize();
    }

    interface Neo4j {
        @WithDefault("bolt://127.0.0.1:7687")
        String uri();

        /** Empty for a server without authentication. */
        Optional<String> user();

        Optional<String> password();

        /** Empty for the server's default database. */
        Optional<String> database();
    }

    interface Qdrant {
        /** The gRPC endpoint: {@code http://host:6334}, {@code https://...} for TLS. */
        @WithDefault("http://127.0.0.1:6334")
        String url();

        Optional<String> apiKey();

        /** Collections are named {@code <prefix>_<model>_<dimension>}. */
        @WithDefault("memroos")
        String collectionPrefix();
    }
}
