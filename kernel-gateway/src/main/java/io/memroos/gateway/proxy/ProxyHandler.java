package io.memroos.gateway.proxy;

import io.memroos.gateway.auth.Caller;
import io.memroos.gateway.config.GatewayConfig;
import io.memroos.contract.Problem;
import io.memroos.gateway.keys.InternalTokens;
import io.memroos.gateway.policy.Decision;
import io.memroos.gateway.policy.PolicyDecisions;
import io.memroos.gateway.policy.PolicyQuery;
import io.memroos.gateway.policy.SensitiveActions;
import io.memroos.gateway.web.GatewayContext;
import io.memroos.gateway.web.Problems;
import io.memroos.gateway.web.RequestIds;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Relays a public request to the service its path belongs to: same method, path, query and body
 * (streamed, size-limited), with the caller's internal JWT instead of its key; relays status,
 * headers and body back (streamed). Unreachable service -> 503, broken answer -> 502,
 * no answer within the timeout -> 504, all as problem+json.
 */
@Singleton
public class ProxyHandler {

    private static final Logger LOG = Logger.getLogger(ProxyHandler.class);

    /** Hop-by-hop and gateway-owned headers that are never relayed as they are (case-insensitive, no per-header allocation). */
    private static final Set<String> NOT_FORWARDED = caseInsensitive("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "authorization",
            "content-length", "x-request-id", "cookie", "expect", "forwarded", "x-forwarded-for",
            "x-forwarded-host", "x-forwarded-proto");
    private static final Set<String> NOT_RETURNED = caseInsensitive("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "content-length",
            "x-request-id", "set-cookie");

    /**
     * Answers with a declared length up to this size are read whole and written with one {@code end}
     * (one write to the client, no pipe); larger or unsized ones are streamed with back-pressure.
     */
    static final int BUFFERED_ANSWER_MAX = 64 * 1024;

    private static Set<String> caseInsensitive(String... names) {
        TreeSet<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(List.of(names));
        return Collections.unmodifiableSet(set);
    }

    private final ServiceClient client;
    private final InternalTokens tokens;
    private final Vertx vertx;
    private final MeterRegistry meters;
    private final long maxBodySize;
    private final PolicyDecisions policies;
    /** Per service, the timer of each status (100-599), registered on first use. */
    private final ConcurrentHashMap<String, AtomicReferenceArray<Timer>> timers = new ConcurrentHashMap<>();

    ProxyHandler(ServiceClient client, InternalTokens tokens, Vertx vertx, MeterRegistry meters, GatewayConfig config,
                 PolicyDecisions policies) {
        this.client = client;
        this.policies = policies;
        this.tokens = tokens;
        this.vertx = vertx;
        this.meters = meters;
        this.maxBodySize = config.maxBodySize();
    }

    public void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        Optional<RouteTable.Route> route = client.routes().match(path);
        if (route.isEmpty()) {
            ctx.request().resume();
            ctx.next();
            return;
        }
        RouteTable.Service service = route.get().service();
        PolicyQuery question = policies.enabled()
                ? SensitiveActions.classify(ctx.request().method(), path, GatewayContext.caller(ctx),
                        name -> ctx.request().getParam(name))
                : null;
        if (question == null) {
            new Exchange(ctx, service, path, false).start();
            return;
        }
        String requestId = GatewayContext.requestId(ctx);
        policies.decide(question, requestId).onComplete(ar -> {
            if (!requestId.equals(MDC.get(RequestIds.MDC_KEY))) {
                MDC.put(RequestIds.MDC_KEY, requestId);
            }
            if (ar.failed()) {
                if (policies.failClosed()) {
                    LOG.warnf("%s %s refused: no policy decision for %s (%s)", ctx.request().method(), path,
                            question.action(), ar.cause().getMessage());
                    Problems.send(ctx, Problem.of(503, "policy-unavailable", "Policy decision unavailable",
                            "governance cannot decide on " + question.action() + " right now ("
                                    + ar.cause().getMessage() + "); the gateway fails closed"));
                    return;
                }
                LOG.warnf("%s %s let through without a policy decision for %s (fail-open): %s",
                        ctx.request().method(), path, question.action(), ar.cause().getMessage());
                new Exchange(ctx, service, path, question.changesPolicy()).start();
                return;
            }
            Decision d = ar.result();
            if (!d.allowed()) {
                LOG.infof("%s %s denied by policy (%s on %s/%s, decision %s)", ctx.request().method(), path,
                        question.action(), question.assetType(), question.assetId(), d.decisionId());
                Map<String, Object> ext = new java.util.LinkedHashMap<>();
                ext.put("decisionId", d.decisionId());
                ext.put("action", question.action());
                ext.put("policies", d.policies());
                Problems.send(ctx, Problem.of(403, "policy-denied", "Denied by policy",
                        question.action() + " on " + question.assetType() + " " + question.assetId()
                                + " is not allowed by the current policies (decision " + d.decisionId() + ")"), ext);
                return;
            }
            new Exchange(ctx, service, path, question.changesPolicy()).start();
        });
    }

    private Timer timer(String serviceName, int status) {
        AtomicReferenceArray<Timer> byStatus = timers.computeIfAbsent(serviceName, k -> new AtomicReferenceArray<>(600));
        boolean indexed = status >= 0 && status < 600;
        Timer t = indexed ? byStatus.get(status) : null;
        if (t == null) {
            // Micrometer returns the already registered timer for the same name and tags
            t = Timer.builder("memroos.gateway.proxy.requests")
                    .description("Requests the gateway relayed to a service, by service and status")
                    .tag("service", serviceName)
                    .tag("status", Integer.toString(status))
                    .register(meters);
            if (indexed) {
                byStatus.set(status, t);
            }
        }
        return t;
    }

    private static long declaredLength(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** One relayed request. Everything runs on the request's event loop, so the flags need no locking. */
    private final class Exchange {
        private final RoutingContext ctx;
        private final HttpServerRequest in;
        private final HttpServerResponse out;
        private final RouteTable.Service service;
        private final String path;
        /** A policy or classification change: cached decisions are dropped once it succeeds. */
        private final boolean changesPolicy;
        private final long startNanos = System.nanoTime();
        private HttpClientRequest downstream;
        private boolean finished;
        private long timer = -1;
        private long received;

        Exchange(RoutingContext ctx, RouteTable.Service service, String path, boolean changesPolicy) {
            this.ctx = ctx;
            this.changesPolicy = changesPolicy;
            this.in = ctx.request();
            this.out = ctx.response();
            this.service = service;
            this.path = path;
        }

        void start() {
            Caller caller = GatewayContext.caller(ctx);
            // public routes (agent cards) carry no caller and go out without a token
            String authorization = caller == null ? null
                    : caller.isOperator() ? tokens.operatorAuthorization() : tokens.agentAuthorization(caller.agentId());
            String query = in.query();
            String uri = path + (query == null || query.isEmpty() ? "" : "?" + query);
            timer = vertx.setTimer(client.timeoutMillis(), t -> fail(504,
                    "the " + service.name() + " service did not answer within " + client.timeoutMillis() + " ms"));
            out.closeHandler(v -> {
                if (!finished && downstream != null) {
                    downstream.reset();
                }
                finished = true;
            });
            client.open(service, in.method(), uri).onComplete(ar -> {
                if (finished) {
                    if (ar.succeeded()) {
                        ar.result().reset();
                    }
                    return;
                }
                if (ar.failed()) {
                    ServiceClient.DownstreamException d = (ServiceClient.DownstreamException) ar.cause();
                    fail(d.status(), d.getMessage());
                    return;
                }
                downstream = ar.result();
                copyRequestHeaders(downstream.headers(), authorization);
                downstream.response().onComplete(resp -> {
                    if (resp.succeeded()) {
                        relay(resp.result());
                    } else if (!finished) {
                        ServiceClient.DownstreamException d = ServiceClient.DownstreamException.of(service.name(), resp.cause());
                        fail(d.status(), d.getMessage());
                    }
                });
                sendBody();
            });
        }

        private void copyRequestHeaders(MultiMap target, String authorization) {
            for (Map.Entry<String, String> h : in.headers()) {
                if (!NOT_FORWARDED.contains(h.getKey())) {
                    target.add(h.getKey(), h.getValue());
                }
            }
            if (authorization != null) {
                target.set(HttpHeaders.AUTHORIZATION, authorization);
            }
            target.set(RequestIds.HEADER, GatewayContext.requestId(ctx));
            String ip = in.remoteAddress() == null ? null : in.remoteAddress().hostAddress();
            if (ip != null) {
                target.set("X-Forwarded-For", ip);
            }
            target.set("X-Forwarded-Proto", in.scheme() == null ? "http" : in.scheme());
            if (in.authority() != null) {
                target.set("X-Forwarded-Host", in.authority().toString());
            }
        }

        private void sendBody() {
            String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
            String te = in.getHeader(HttpHeaders.TRANSFER_ENCODING);
            if (te == null && (length == null || "0".equals(length.trim()))) {
                // no body (GET, DELETE, ...): nothing to stream
                if (length != null) {
                    downstream.putHeader(HttpHeaders.CONTENT_LENGTH, "0");
                }
                downstream.end();
                in.resume();
                return;
            }
            if (length != null) {
                downstream.putHeader(HttpHeaders.CONTENT_LENGTH, length.trim());
            } else {
                downstream.setChunked(true);
            }
            if ("100-continue".equalsIgnoreCase(in.getHeader(HttpHeaders.EXPECT))) {
                // the size was checked up front; tell the client to send the body now
                out.writeContinue();
            }
            in.handler(buffer -> {
                if (finished) {
                    return;
                }
                received += buffer.length();
                if (received > maxBodySize) {
                    fail(413, "the request body is larger than the limit of " + maxBodySize + " bytes");
                    return;
                }
                downstream.write(buffer);
                if (downstream.writeQueueFull()) {
                    in.pause();
                    downstream.drainHandler(v -> in.resume());
                }
            });
            in.exceptionHandler(err -> {
                if (!finished) {
                    fail(400, "the request body could not be read: " + err.getMessage());
                }
            });
            in.endHandler(v -> {
                if (!finished) {
                    downstream.end();
                }
            });
            in.resume();
        }

        private void relay(HttpClientResponse response) {
            if (finished) {
                return;
            }
            vertx.cancelTimer(timer);
            out.setStatusCode(response.statusCode());
            MultiMap outHeaders = out.headers();
            for (Map.Entry<String, String> h : response.headers()) {
                if (!NOT_RETURNED.contains(h.getKey())) {
                    outHeaders.add(h.getKey(), h.getValue());
                }
            }
            String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
            int status = response.statusCode();
            boolean bodiless = status == 204 || status == 304 || in.method() == HttpMethod.HEAD;
            if (length != null && !bodiless) {
                out.putHeader(HttpHeaders.CONTENT_LENGTH, length);
            } else if (!bodiless) {
                out.setChunked(true);
            }
            response.exceptionHandler(err -> {
                if (!finished) {
                    finished = true;
                    LOG.warnf("%s broke off its answer to %s %s: %s", service.name(), in.method(), path, err.getMessage());
                    out.reset();
                }
            });
            if (length != null && !bodiless && declaredLength(length) <= BUFFERED_ANSWER_MAX) {
                // a small answer of known size: read it whole, then one write with the head
                response.body().onComplete(ar -> {
                    if (ar.succeeded() && !finished) {
                        out.end(ar.result());
                    }
                    finished = true;
                    record(status);
                });
                return;
            }
            response.pipeTo(out).onComplete(ar -> {
                finished = true;
                record(status);
            });
        }

        private void fail(int status, String detail) {
            if (finished) {
                return;
            }
            finished = true;
            vertx.cancelTimer(timer);
            if (downstream != null) {
                // abandon the downstream exchange; its failure callbacks see finished and stay quiet
                downstream.reset();
            }
            if (status >= 500) {
                LOG.warnf("%s %s -> %d: %s", in.method(), path, status, detail);
            }
            record(status);
            Problems.send(ctx, status, detail);
        }

        private void record(int status) {
            if (changesPolicy && status >= 200 && status < 300) {
                policies.invalidate();
            }
            timer(service.name(), status).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }
    }
}
