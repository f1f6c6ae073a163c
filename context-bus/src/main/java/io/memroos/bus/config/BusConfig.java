package io.memroos.bus.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Every setting of the context bus, under {@code memroos.bus}. */
@ConfigMapping(prefix = "memroos.bus")
public interface BusConfig {

    /** Which store keeps the bus: {@code sqlite} (embedded, default) or {@code postgres}. */
    @WithDefault("sqlite")
    StoreKind store();

    /** The registry's base URL (its /internal routes resolve recipients and peers). */
    @WithDefault("http://127.0.0.1:8081")
    String registryUrl();

    RegistrySettings registry();

    Limits limits();

    DeliverySettings delivery();

    PushSettings push();

    SqliteSettings sqlite();

    PostgresSettings postgres();

    GovernanceSettings governance();

    enum StoreKind { sqlite, postgres }

    interface RegistrySettings {
        /** The internal private key the bus signs its service token with (PKCS#8 PEM). */
        String signingKey();

        @WithDefault("3s")
        Duration timeout();

        /** How long a registry answer (agent, or list of agents) is reused. */
        @WithDefault("3s")
        Duration cacheTtl();
    }

    interface Limits {
        /** Largest message body (the body field, UTF-8). */
        @WithDefault("262144")
        int maxBodyBytes();

        /** Unacknowledged messages one inbox may hold; a send beyond is refused with 429. */
        @WithDefault("10000")
        int maxBacklog();

        @WithDefault("200")
        int maxPageSize();

        /** Longest long-poll wait. */
        @WithDefault("30s")
        Duration maxWait();

        @WithDefault("100")
        int maxRecipients();
    }

    interface DeliverySettings {
        /** How long a delivered message waits for its ack before it is delivered again. */
        @WithDefault("30s")
        Duration visibilityTimeout();

        /** Deliveries of a message to one recipient before it is dead-lettered. */
        @WithDefault("5")
        int maxAttempts();

        @WithDefault("7d")
        Duration defaultTtl();

        @WithDefault("30d")
        Duration maxTtl();

        @WithDefault("1h")
        Duration maxNackDelay();

        /** How often dead-lettering, expiry and redelivery wake-ups are checked. */
        @WithDefault("1s")
        Duration sweepEvery();

        /** Threads that resume long polls and streams after a wake-up. */
        @WithDefault("8")
        int threads();
    }

    interface PushSettings {
        @WithDefault("true")
        boolean enabled();

        @WithDefault("5s")
        Duration timeout();

        @WithDefault("1s")
        Duration backoffBase();

        @WithDefault("5m")
        Duration backoffMax();

        @WithDefault("4")
        int threads();
    }

    /** The relay of the outbox to governance (docs/outbox.md). */
    interface GovernanceSettings {
        /** Whether the relay runs; when off, events stay in the outbox table. */
        @WithDefault("true")
        boolean enabled();

        /** Governance's base URL; events go to {@code <url>/internal/events}. */
        @WithDefault("http://127.0.0.1:8087")
        String url();

        /** The private key the {@code service:context-bus} token is signed with. */
        String signingKey();

        @WithDefault("200")
        int batchSize();

        /** How often an idle relay looks at the table (it is also woken after every commit that appended). */
        @WithDefault("500ms")
        Duration pollInterval();

        @WithDefault("250ms")
        Duration backoffInitial();

        @WithDefault("30s")
        Duration backoffMax();

        /** How long delivered rows are kept (the admin outbox route shows them until then). */
        @WithDefault("7d")
        Duration retention();

        @WithDefault("10m")
        Duration purgeEvery();
    }

    interface SqliteSettings {
        /** Most write units grouped into one transaction by the write lane. */
        @WithDefault("256")
        int groupCommit();
    }

    interface PostgresSettings {
        @WithDefault("postgresql://127.0.0.1:5432/memroos")
        String url();

        Optional<String> user();

        Optional<String> password();

        @WithDefault("bus")
        String schema();

        @WithDefault("8")
        int poolSize();
    }
}
