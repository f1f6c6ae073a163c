package io.memroos.gateway.web;

import io.memroos.gateway.auth.Authenticator;
import io.memroos.gateway.auth.Caller;
import io.memroos.gateway.auth.SessionStore;
import io.memroos.gateway.config.GatewayConfig;
import io.memroos.gateway.proxy.RouteTable;
import io.memroos.gateway.proxy.ServiceClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.Optional;

/**
 * The first handler of every request: request id, {@code /internal} refusal, body-size check,
 * authentication (bearer key for the API, session cookie for the console) and rate limits.
 * Never blocks the event loop: agent keys are verified asynchronously, sessions are read on a worker.
 */
@Singleton
public class EdgeGuard {

    public static final String SESSION_COOKIE = "memroos_session";

    private static final Logger LOG = Logger.getLogger(EdgeGuard.class);

    private final Authenticator auth;
    private final SessionStore sessions;
    private final RouteTable routes;
    private final Vertx vertx;
    private final long maxBodySize;

    EdgeGuard(Authenticator auth, SessionStore sessions, ServiceClient client, Vertx vertx, GatewayConfig config) {
        this.auth = auth;
        this.sessions = sessions;
        this.routes = client.routes();
        this.vertx = vertx;
        this.maxBodySize = config.maxBodySize();
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String requestId = RequestIds.sanitise(request.getHeader(RequestIds.HEADER));
        GatewayContext.requestId(ctx, requestId);
        ctx.response().putHeader(RequestIds.HEADER, requestId);
        MDC.put(RequestIds.MDC_KEY, requestId);

        String path = ctx.normalizedPath();
        if (RouteTable.isInternal(path)) {
            Problems.send(ctx, 404, "no route for " + path);
            return;
        }
        if (isPublic(path)) {
            ctx.next();
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLarge(length)) {
            Problems.send(ctx, 413, "the request body is larger than the limit of " + maxBodySize + " bytes");
            return;
        }
        String ip = clientIp(request);
        long blocked = auth.failedAuthRetryAfter(ip);
        if (blocked > 0) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(blocked));
            Problems.send(ctx, 429, "too many failed authentication attempts from this address; retry in " + blocked + " s");
            return;
        }
        boolean proxied = routes.match(path).isPresent();
        request.pause();
        if (isApi(path) || proxied) {
            auth.bearer(request.getHeader(HttpHeaders.AUTHORIZATION), requestId).onComplete(ar -> {
                if (!requestId.equals(MDC.get(RequestIds.MDC_KEY))) {
                    // completed on another context (a registry call): carry the id over
                    MDC.put(RequestIds.MDC_KEY, requestId);
                }
                if (ar.failed()) {
                    ServiceClient.DownstreamException d = ar.cause() instanceof ServiceClient.DownstreamException e ? e : null;
                    LOG.warnf("key verification failed: %s", ar.cause().getMessage());
                    Problems.send(ctx, 503, "cannot verify the key right now: "
                            + (d != null ? d.getMessage() : "the registry is unavailable"));
                    return;
                }
                Optional<Caller> caller = ar.result();
                if (caller.isEmpty()) {
                    auth.recordFailure(ip);
                    boolean missing = request.getHeader(HttpHeaders.AUTHORIZATION) == null;
                    Problems.send(ctx, 401, missing
                            ? "this route needs an 'Authorization: Bearer <key>' header with the operator key or an agent key"
                            : "the bearer key is not valid (unknown, revoked or expired)");
                    return;
                }
                admit(ctx, caller.get(), proxied);
            });
        } else {
            Cookie cookie = request.getCookie(SESSION_COOKIE);
            if (cookie == null) {
                refuseConsole(ctx);
                return;
            }
            vertx.executeBlocking(() -> sessions.find(cookie.getValue()), false).onComplete(ar -> {
                MDC.put(RequestIds.MDC_KEY, requestId);
                if (ar.failed()) {
                    LOG.error("cannot read console sessions", ar.cause());
                    Problems.send(ctx, 503, "the gateway's session store is unavailable");
                    return;
                }
                if (ar.result().isEmpty()) {
                    refuseConsole(ctx);
                    return;
                }
                SessionStore.Session s = ar.result().get();
                admit(ctx, Caller.operatorSession(s.idHash(), s.csrfToken()), false);
            });
        }
    }

    private void admit(RoutingContext ctx, Caller caller, boolean proxied) {
        long wait = auth.acquire(caller);
        if (wait > 0) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(wait));
            Problems.send(ctx, 429, "rate limit exceeded for this key; retry in " + wait + " s");
            return;
        }
        GatewayContext.caller(ctx, caller);
        if (!proxied) {
            // the proxy resumes the body itself when it pipes it
            ctx.request().resume();
        }
        ctx.next();
    }

    /** Console routes without a session: a browser page load goes to the sign-in page, anything else gets 401. */
    private void refuseConsole(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.method() == HttpMethod.GET && request.getHeader("HX-Request") != null) {
            ctx.response().putHeader("HX-Redirect", "/login");
            Problems.send(ctx, 401, "your console session has ended; sign in again");
        } else if (request.method() == HttpMethod.GET && accepts(request, "text/html")) {
            request.resume();
            ctx.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, "/login").end();
        } else {
            Problems.send(ctx, 401, "sign in to the console first (or send an 'Authorization: Bearer <key>' header to API routes)");
        }
    }

    private boolean tooLarge(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBodySize;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean accepts(HttpServerRequest request, String type) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return accept == null || accept.contains(type) || accept.contains("*/*");
    }

    static String clientIp(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }

    static boolean isApi(String path) {
        return path.equals("/api") || path.startsWith("/api/");
    }

    /** Routes open without authentication. */
    static boolean isPublic(String path) {
        return path.equals("/q/health") || path.startsWith("/q/health/")
                || path.equals("/q/metrics")
                || path.equals("/q/openapi") || path.startsWith("/q/openapi.")
                || path.equals("/q/swagger-ui") || path.startsWith("/q/swagger-ui/")
                || path.equals("/login")
                || path.startsWith("/static/") || path.startsWith("/webjars/")
                || path.equals("/favicon.ico")
                || isAgentCard(path);
    }

    /** A2A agent cards are public by design: the kernel's and each agent's, in both well-known names. */
    static boolean isAgentCard(String path) {
        return path.equals("/.well-known/agent-card.json") || path.equals("/.well-known/agent.json")
                || (path.startsWith("/a2a/agents/")
                    && (path.endsWith("/.well-known/agent-card.json") || path.endsWith("/.well-known/agent.json")));
    }
}
