package io.memroos.gateway.keys;

import io.memroos.gateway.config.GatewayConfig;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mints the short-lived RS256 JWTs the gateway sends to services (docs/internal-contract.md).
 * A token is reused for one subject while it is younger than {@code auth.token-reuse}, so signing
 * happens at most once per subject per reuse window, never per request.
 */
@Singleton
public class InternalTokens {

    public static final String ISSUER = "memroos-gateway";
    public static final String AUDIENCE = "memroos-internal";

    /** A token and its ready-made {@code Authorization} header value (built once, not per request). */
    private record Minted(String token, String authorization, long mintedAtNanos) {
        Minted(String token, long mintedAtNanos) {
            this(token, "Bearer " + token, mintedAtNanos);
        }
    }

    private final GatewayKeys keys;
    private final long reuseNanos;
    private final long lifetimeSeconds;
    private final ConcurrentHashMap<String, Minted> cache = new ConcurrentHashMap<>();
    /** Agent tokens by agent id, so the proxy's lookup builds no subject string per request. */
    private final ConcurrentHashMap<String, Minted> agents = new ConcurrentHashMap<>();

    InternalTokens(GatewayKeys keys, GatewayConfig config) {
        this.keys = keys;
        long lifetime = Math.max(2, config.auth().tokenLifetime().toSeconds());
        // reuse at most 30 s and at most half the lifetime, so a sent token always has time left
        long reuse = Math.min(Math.min(config.auth().tokenReuse().toNanos(), 30_000_000_000L),
                lifetime * 500_000_000L);
        this.reuseNanos = reuse;
        this.lifetimeSeconds = lifetime;
    }

    public String operator() {
        return minted(cache, "operator", "operator", "operator", null).token();
    }

    public String agent(String agentId) {
        return agentMinted(agentId).token();
    }

    public String service(String name) {
        return minted(cache, "service:" + name, "service:" + name, "service", null).token();
    }

    /** {@code Bearer <operator token>}, the header value the proxy sends. */
    public String operatorAuthorization() {
        return minted(cache, "operator", "operator", "operator", null).authorization();
    }

    /** {@code Bearer <token of the agent>}, the header value the proxy sends. */
    public String agentAuthorization(String agentId) {
        return agentMinted(agentId).authorization();
    }

    private Minted agentMinted(String agentId) {
        Minted minted = agents.get(agentId);
        if (minted != null && System.nanoTime() - minted.mintedAtNanos() < reuseNanos) {
            return minted;
        }
        return minted(agents, agentId, "agent:" + agentId, "agent", agentId);
    }

    private Minted minted(ConcurrentHashMap<String, Minted> byKey, String key, String subject, String group, String agentId) {
        long now = System.nanoTime();
        Minted minted = byKey.get(key);
        if (minted != null && now - minted.mintedAtNanos() < reuseNanos) {
            return minted;
        }
        Minted fresh = new Minted(sign(subject, group, agentId), now);
        if (byKey.size() > 10_000) {
            byKey.clear();
        }
        byKey.put(key, fresh);
        return fresh;
    }

    private String sign(String subject, String group, String agentId) {
        Instant now = Instant.now();
        JwtClaimsBuilder claims = Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .groups(Set.of(group))
                .issuedAt(now)
                .expiresAt(now.plusSeconds(lifetimeSeconds));
        if (agentId != null) {
            claims.claim("agent_id", agentId);
        }
        return claims.jws().algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256).sign(keys.rsa().privateKey());
    }
}
