package io.memroos.gateway.auth;

import io.memroos.gateway.config.GatewayConfig;
import io.memroos.gateway.keys.GatewayKeys;
import io.vertx.core.Future;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * Decides who a bearer key belongs to, and keeps the rate limits: one token bucket per credential
 * and one per client IP for failed attempts.
 */
@Singleton
public class Authenticator {

    /** Shared, already completed answers: the common outcomes allocate nothing per request. */
    private static final Future<Optional<Caller>> NOBODY = Future.succeededFuture(Optional.empty());
    private static final Future<Optional<Caller>> OPERATOR = Future.succeededFuture(Optional.of(Caller.operatorByKey()));

    private final GatewayKeys keys;
    private final KeyVerifier verifier;
    private final RateLimiter perCredential;
    private final RateLimiter failedPerIp;

    Authenticator(GatewayKeys keys, KeyVerifier verifier, GatewayConfig config) {
        this.keys = keys;
        this.verifier = verifier;
        GatewayConfig.RateLimit limits = config.rateLimit();
        this.perCredential = new RateLimiter(limits.burst(), limits.requestsPerSecond(), System::nanoTime);
        this.failedPerIp = new RateLimiter(limits.failedAuthBurst(), limits.failedAuthPerSecond(), System::nanoTime);
    }

    /** The caller for an {@code Authorization} header value; empty when the key is not accepted. */
    public Future<Optional<Caller>> bearer(String authorization, String requestId) {
        String key = bearerKey(authorization);
        if (key == null) {
            return NOBODY;
        }
        if (keys.isOperatorKey(key)) {
            return OPERATOR;
        }
        if (key.startsWith(KeyVerifier.AGENT_KEY_PREFIX) && key.length() <= 200) {
            return verifier.verify(key, requestId);
        }
        return NOBODY;
    }

    /** Whether the candidate is the operator key (constant time). */
    public boolean isOperatorKey(String candidate) {
        return keys.isOperatorKey(candidate);
    }

    /** Seconds the client IP must wait because of failed attempts; 0 when it may try. */
    public long failedAuthRetryAfter(String ip) {
        return failedPerIp.retryAfter(ip);
    }

    /** Counts a failed attempt from the IP. */
    public void recordFailure(String ip) {
        failedPerIp.acquire(ip);
    }

    /** Takes a request from the caller's bucket: 0 when allowed, else seconds to wait. */
    public long acquire(Caller caller) {
        return perCredential.acquire(caller.rateKey());
    }

    static String bearerKey(String authorization) {
        if (authorization == null || authorization.length() < 8
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String key = authorization.substring(7).trim();
        return key.isEmpty() ? null : key;
    }
}
