package io.memroos.governance.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every setting of the governance service, under {@code memroos.governance}. */
@ConfigMapping(prefix = "memroos.governance")
public interface GovConfig {

    /** Which store: {@code sqlite} (embedded, default) or {@code postgres}. */
    @WithDefault("sqlite")
    StoreKind store();

    /** Classification labels from least to most sensitive. */
    @WithDefault("public,internal,confidential,restricted")
    List<String> labels();

    Audit audit();

    Limits limits();

    SqliteSettings sqlite();

    PostgresSettings postgres();

    enum StoreKind { sqlite, postgres }

    interface Audit {
        /** Most events one group commit writes. */
        @WithDefault("2000")
        int maxBatch();

        /** A signed checkpoint after this many events... */
        @WithDefault("1000")
        int checkpointEvery();

        /** ...or after this long when events are unsigned. */
        @WithDefault("10s")
        Duration checkpointInterval();
    }

    interface Limits {
        @WithDefault("500")
        int maxPageSize();

        @WithDefault("100")
        int defaultPageSize();
    }

    interface SqliteSettings {
        @WithDefault("256")
        int groupCommit();
    }

    interface PostgresSettings {
        @WithDefault("postgresql://127.0.0.1:5432/memroos")
        String url();

        Optional<String> user();

        Optional<String> password();

        @WithDefault("governance")
        String schema();

        @WithDefault("8")
        int poolSize();
    }
}
