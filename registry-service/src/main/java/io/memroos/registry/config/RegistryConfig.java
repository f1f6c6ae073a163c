package io.memroos.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every setting of the registry, under {@code memroos.registry}. */
@ConfigMapping(prefix = "memroos.registry")
public interface RegistryConfig {

    /** Which store keeps the registry: {@code sqlite} (embedded, default) or {@code postgres}. */
    @WithDefault("sqlite")
    StoreKind store();

    LivenessSettings liveness();

    HeartbeatSettings heartbeat();

    KeySettings keys();

    RemoteSettings remote();

    PostgresSettings postgres();

    GovernanceSettings governance();

    enum StoreKind { sqlite, postgres }

    interface LivenessSettings {
        /** No sign of life for this long: stale. */
        @WithDefault("60s")
        Duration staleAfter();

        /** No sign of life for this long: offline. */
        @WithDefault("300s")
        Duration offlineAfter();
    }

    interface HeartbeatSettings {
        /** How many recent heartbeats are kept per agent. */
        @WithDefault("100")
        int retain();
    }

    interface KeySettings {
        /** A key's last use is written at most once per this interval. */
        @WithDefault("5s")
        Duration lastUsedResolution();
    }

    interface RemoteSettings {
        /** URL prefixes the registry may always call (private addresses included). */
        Optional<List<String>> allowedUrlPrefixes();

        /** Whether URLs outside the allowlist may be called when every address of their host is public. */
        @WithDefault("true")
        boolean publicHostsAllowed();

        /** Deadline for one whole card fetch, redirects included. */
        @WithDefault("5s")
        Duration timeout();

        @WithDefault("262144")
        int maxCardBytes();

        @WithDefault("3")
        int maxRedirects();

        /** Consecutive failed polls after which a remote agent is unreachable. */
        @WithDefault("3")
        int maxFailures();

        @WithDefault("300")
        int defaultPollIntervalSeconds();

        @WithDefault("10")
        int minPollIntervalSeconds();

        /** How often the scheduler looks for remote agents due for a poll. */
        @WithDefault("5s")
        Duration pollCheckEvery();
    }

    /** Where the outbox relay sends events (docs/outbox.md). */
    interface GovernanceSettings {
        /** Governance's base URL; the launcher sets {@code MEMROOS_GOVERNANCE_URL}. */
        @WithDefault("http://127.0.0.1:8087")
        String url();

        /** Whether the relay runs; when off, events wait in the outbox. */
        @WithDefault("true")
        boolean enabled();

        /** The internal private key that signs the {@code service:registry-service} token. */
        String signingKey();

        @WithDefault("200")
        int batchSize();

        @WithDefault("500ms")
        Duration pollInterval();

        @WithDefault("250ms")
        Duration backoffInitial();

        @WithDefault("30s")
        Duration backoffMax();

        /** How long delivered events stay in the outbox. */
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
