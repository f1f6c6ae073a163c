package io.memroos.gateway.auth;

import io.memroos.gateway.config.GatewayConfig;
import io.memroos.gateway.keys.InternalTokens;
import io.memroos.gateway.proxy.ServiceClient;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Optional;

/**
 * Verifies agent keys ({@code mrk_...}) with the registry's {@code /internal/keys/verify}. Results,
 * positive and negative, are reused for at most {@code auth.key-cache-ttl} (capped at 1 s), so a
 * revoked key stops working within 2 s. Concurrent lookups of one key share one registry call.
 * Transport failures are not cached.
 */
@Singleton
public class KeyVerifier {

    public static final String AGENT_KEY_PREFIX = "mrk_";
    static final String SERVICE_NAME = "kernel-gateway";

    /** A live key: its agent and key id. */
    public record VerifiedKey(String agentId, String keyId, String prefix) {
        Caller caller() {
            return Caller.agent(agentId, keyId);
        }
    }

    private final ServiceClient client;
    private final InternalTokens tokens;
    /** Holds the caller each result stands for, so a cache hit allocates nothing. */
    private final ExpiringCache<String, Future<Optional<Caller>>> cache;

    KeyVerifier(ServiceClient client, InternalTokens tokens, GatewayConfig config) {
        this.client = client;
        this.tokens = tokens;
        Duration ttl = config.auth().keyCacheTtl();
        if (ttl.compareTo(Duration.ofSeconds(1)) > 0) {
            ttl = Duration.ofSeconds(1);
        }
        this.cache = new ExpiringCache<>(ttl, 50_000, System::nanoTime);
    }

    /** The key's owner as a caller, empty when the registry refuses the key; fails when the registry cannot be asked. */
    public Future<Optional<Caller>> verify(String key, String requestId) {
        String cacheKey = Hashes.sha256Hex(key);
        Future<Optional<Caller>> cached = cache.getIfPresent(cacheKey);
        if (cached != null) {
            return cached;
        }
        @SuppressWarnings("unchecked")
        Future<Optional<Caller>>[] mine = new Future[1];
        Future<Optional<Caller>> result = cache.get(cacheKey, k -> {
            mine[0] = ask(key, requestId).map(v -> v.map(VerifiedKey::caller));
            return mine[0];
        });
        if (mine[0] != null) {
            Future<Optional<Caller>> asked = mine[0];
            asked.onFailure(err -> cache.invalidate(cacheKey, asked));
        }
        return result;
    }

    private Future<Optional<VerifiedKey>> ask(String key, String requestId) {
        return client.call("registry", HttpMethod.POST, "/internal/keys/verify", tokens.service(SERVICE_NAME),
                requestId, new JsonObject().put("key", key)).compose(reply -> {
            if (reply.status() == 200) {
                JsonObject body = reply.json();
                String agentId = body.getString("agentId");
                if (agentId == null || agentId.isBlank()) {
                    return Future.failedFuture(new ServiceClient.DownstreamException("registry", 502,
                            "the registry's key verification answered without an agentId"));
                }
                return Future.succeededFuture(Optional.of(new VerifiedKey(agentId,
                        body.getString("keyId", body.getString("prefix", agentId)), body.getString("prefix"))));
            }
            if (reply.status() == 401 || reply.status() == 403 || reply.status() == 404) {
                return Future.succeededFuture(Optional.empty());
            }
            return Future.failedFuture(new ServiceClient.DownstreamException("registry", 502,
                    "the registry's key verification answered " + reply.status()));
        });
    }
}
