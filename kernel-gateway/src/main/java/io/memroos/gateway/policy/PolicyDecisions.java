package io.memroos.gateway.policy;

import io.memroos.gateway.config.GatewayConfig;
import io.memroos.gateway.keys.InternalTokens;
import io.memroos.gateway.proxy.RouteTable;
import io.memroos.gateway.proxy.ServiceClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks governance ({@code POST /internal/decisions}, with a {@code service:kernel-gateway} token) and keeps
 * each answer for a short while (default 5 s), keyed by actor, action and asset. The cache is dropped after
 * any successful policy or classification change made through the gateway, and whenever governance
 * reports a new policy version. A cached answer costs one map lookup.
 */
@Singleton
public class PolicyDecisions {

    private static final Logger LOG = Logger.getLogger(PolicyDecisions.class);
    static final String SERVICE = "governance";
    static final String SUBJECT = "kernel-gateway";
    private static final int MAX_ENTRIES = 10_000;

    /** Why governance could not answer; the gateway refuses with 503 when it fails closed. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    private record Entry(Decision decision, long expiresAtNanos) {
    }

    private final ServiceClient client;
    private final InternalTokens tokens;
    private final boolean enabled;
    private final boolean failClosed;
    private final long ttlNanos;
    private final Duration timeout;
    private final RouteTable.Service governance;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
    /** Bumped on every invalidation; an answer asked for before a bump is not cached. */
    private final AtomicLong generation = new AtomicLong();
    private volatile long knownPolicyVersion = -1;
    private final Counter hits;
    private final Counter misses;
    private final Counter denials;
    private final Counter unavailable;

    PolicyDecisions(ServiceClient client, InternalTokens tokens, GatewayConfig config, MeterRegistry meters) {
        this.client = client;
        this.tokens = tokens;
        GatewayConfig.Policy p = config.policy();
        this.enabled = p.enabled();
        this.failClosed = p.failClosed();
        this.ttlNanos = p.cacheTtl().toNanos();
        this.timeout = p.timeout();
        this.governance = client.routes().services().stream().filter(s -> s.name().equals(SERVICE)).findFirst()
                .orElse(null);
        if (enabled && governance == null) {
            throw new IllegalStateException("policy checks are on but no URL is configured for service 'governance'"
                    + " (set memroos.gateway.services.governance or memroos.gateway.policy.enabled=false)");
        }
        this.hits = Counter.builder("memroos.gateway.policy.decisions").tag("source", "cache").register(meters);
        this.misses = Counter.builder("memroos.gateway.policy.decisions").tag("source", "governance").register(meters);
        this.denials = Counter.builder("memroos.gateway.policy.denials").register(meters);
        this.unavailable = Counter.builder("memroos.gateway.policy.unavailable").register(meters);
    }

    public boolean enabled() {
        return enabled;
    }

    /** Whether a request proceeds when governance cannot answer (false: it is refused with 503). */
    public boolean failClosed() {
        return failClosed;
    }

    /** The decision for {@code q}: from the cache when fresh, else from governance. */
    public Future<Decision> decide(PolicyQuery q, String requestId) {
        String key = q.cacheKey();
        Entry e = cache.get(key);
        if (e != null && System.nanoTime() - e.expiresAtNanos < 0) {
            hits.increment();
            return Future.succeededFuture(e.decision);
        }
        misses.increment();
        long gen = generation.get();
        return client.call(governance, HttpMethod.POST, "/internal/decisions", tokens.service(SUBJECT), requestId,
                q.toJson(requestId), timeout).transform(ar -> {
            if (ar.failed()) {
                unavailable.increment();
                String why = ar.cause() instanceof ServiceClient.DownstreamException d ? d.getMessage()
                        : "governance did not answer: " + ar.cause().getMessage();
                return Future.failedFuture(new Unavailable(why));
            }
            ServiceClient.Reply reply = ar.result();
            if (!reply.ok()) {
                unavailable.increment();
                LOG.warnf("governance answered %d to a decision request for %s", reply.status(), q.action());
                return Future.failedFuture(new Unavailable("governance answered " + reply.status()
                        + " to the decision request"));
            }
            Decision d;
            try {
                d = parse(reply.json());
            } catch (RuntimeException bad) {
                unavailable.increment();
                return Future.failedFuture(new Unavailable("governance's decision could not be read"));
            }
            if (!d.allowed()) {
                denials.increment();
            }
            noteVersion(d.policyVersion());
            if (generation.get() == gen) {
                if (cache.size() >= MAX_ENTRIES) {
                    cache.clear();
                }
                cache.put(key, new Entry(d.fromCache(), System.nanoTime() + ttlNanos));
            }
            return Future.succeededFuture(d);
        });
    }

    /** Drops every cached decision (after a policy or classification change). */
    public void invalidate() {
        generation.incrementAndGet();
        cache.clear();
    }

    int cached() {
        return cache.size();
    }

    /** A decision naming another policy version than the cached ones were made under drops the cache. */
    private void noteVersion(long version) {
        long known = knownPolicyVersion;
        if (version > 0 && version != known) {
            knownPolicyVersion = version;
            if (known != -1) {
                LOG.infof("policy version %d -> %d: decision cache dropped", known, version);
                invalidate();
            }
        }
    }

    static Decision parse(JsonObject json) {
        String decision = json.getString("decision");
        if (!"allow".equals(decision) && !"deny".equals(decision)) {
            throw new IllegalArgumentException("decision must be allow or deny");
        }
        List<String> policies = new ArrayList<>();
        JsonArray ids = json.getJsonArray("policies");
        if (ids != null) {
            for (Object id : ids) {
                policies.add(String.valueOf(id));
            }
        }
        Number version = json.getNumber("policyVersion");
        return new Decision("allow".equals(decision), json.getString("decisionId"), policies,
                version == null ? 0 : version.longValue(), false);
    }
}
