package io.memroos.a2a.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every setting of the broker, under {@code memroos.a2a}. */
@ConfigMapping(prefix = "memroos.a2a")
public interface A2aConfig {

    /** {@code sqlite} (embedded, default) or {@code postgres}. */
    @WithDefault("sqlite")
    StoreKind store();

    /** The suite's public base URL (the gateway), named in agent cards. */
    @WithDefault("http://127.0.0.1:8080")
    String publicUrl();

    RegistrySettings registry();

    DeliverySettings delivery();

    PushSettings push();

    PostgresSettings postgres();

    GovernanceSettings governance();

    enum StoreKind { sqlite, postgres }

    interface RegistrySettings {
        @WithDefault("http://127.0.0.1:8081")
        String url();

        /** The internal private key the broker signs its service token with. */
        String signingKey();

        /** How long an agent lookup is reused. */
        @WithDefault("5s")
        Duration cacheFor();
    }

    interface DeliverySettings {
        /** A message an agent cannot take (offline) is retried until this long after it was sent, then fails. */
        @WithDefault("10m")
        Duration deadline();

        /** First retry delay (doubles per attempt, at most 30 s). */
        @WithDefault("1s")
        Duration retryEvery();

        /** Deadline of one unary call to an agent. */
        @WithDefault("60s")
        Duration timeout();
    }

    interface PushSettings {
        /** URL prefixes webhooks may always use (private and loopback addresses included). */
        Optional<List<String>> allowedUrlPrefixes();

        /** Whether webhooks outside the allowlist may go to hosts whose every address is public. */
        @WithDefault("true")
        boolean publicHostsAllowed();
    }

    /** The relay of the governance outbox (docs/outbox.md). */
    interface GovernanceSettings {
        /** Whether the relay runs; when off, audit events stay in the outbox table. */
        @WithDefault("true")
        boolean enabled();

        /** Governance's base URL; events go to {@code <url>/internal/events}. */
        @WithDefault("http://127.0.0.1:8087")
        String url();

        /** The private key the {@code service:a2a-broker} token is signed with. */
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

        /** How long delivered rows are kept. */
        @WithDefault("7d")
        Duration retention();

        @WithDefault("10m")
        Duration purgeEvery();
    }

    interface PostgresSettings {
        @WithDefault("postgresql://127.0.0.1:5432/memroos")
        String url();

        Optional<String> user();

        Optional<String> password();

        Optional<String> database();

        @WithDefault("public")
        String schema();

        @WithDefault("8")
        int poolSize();
    }
}
