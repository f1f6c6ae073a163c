package io.memroos.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Every setting of the gateway, under {@code memroos.gateway}. */
@ConfigMapping(prefix = "memroos.gateway")
public interface GatewayConfig {

    /** The data directory (keys, operator key, gateway.db); defaults to {@code memroos.data-dir}. */
    String dataDir();

    /**
     * The operator key; when absent the gateway reads or creates {@code <data-dir>/operator.key}.
     * Set through {@code MEMROOS_OPERATOR_API_KEY}.
     */
    Optional<String> operatorApiKey();

    /** Base URL of each service by name, e.g. {@code registry -> http://127.0.0.1:8081}. */
    Map<String, String> services();

    /** Public path prefix -> service name, e.g. {@code /api/agents -> registry}. */
    Map<String, String> routes();

    /** How long the gateway waits for a downstream response before answering 504. */
    @WithDefault("30s")
    Duration timeout();

    /** How long a downstream connection may take to open. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Largest request body accepted, in bytes (default 1 MiB). */
    @WithDefault("1048576")
    long maxBodySize();

    /** Keep-alive connections per downstream service. */
    @WithDefault("64")
    int poolSize();

    RateLimit rateLimit();

    Auth auth();

    Session session();

    Policy policy();

    /** Policy checks before sensitive actions (docs/gateway.md, "Policy checks"). */
    interface Policy {
        /** Whether the gateway asks governance before sensitive actions. */
        @WithDefault("true")
        boolean enabled();

        /** When governance cannot answer: refuse with 503 (true) or let the request through (false). */
        @WithDefault("true")
        boolean failClosed();

        /** How long an answer is reused for the same actor, action and asset. */
        @WithDefault("5s")
        Duration cacheTtl();

        /** How long the gateway waits for governance's answer (a cold governance JVM may take seconds). */
        @WithDefault("5s")
        Duration timeout();
    }

    /** Per-credential and per-IP limits. */
    interface RateLimit {
        /** Sustained requests per second allowed for one key. */
        @WithDefault("100")
        double requestsPerSecond();

        /** Requests one key may make in a burst. */
        @WithDefault("200")
        int burst();

        /** Failed authentication attempts per second refilled for one client IP. */
        @WithDefault("1")
        double failedAuthPerSecond();

        /** Failed authentication attempts one client IP may make in a burst. */
        @WithDefault("20")
        int failedAuthBurst();
    }

    /** Edge authentication. */
    interface Auth {
        /** How long an agent-key verification result (positive or negative) is reused. At most 1 s. */
        @WithDefault("1s")
        Duration keyCacheTtl();

        /** How long a minted internal token is reused for one subject (at most 30 s). */
        @WithDefault("30s")
        Duration tokenReuse();

        /** Lifetime of a minted internal token. */
        @WithDefault("60s")
        Duration tokenLifetime();
    }

    /** Operator console sessions. */
    interface Session {
        /** How long a console session lasts after sign-in. */
        @WithDefault("8h")
        Duration ttl();
    }
}
