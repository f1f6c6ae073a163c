package io.memroos.gateway.web;

import io.memroos.gateway.proxy.ProxyHandler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Puts the gateway's Vert.x handlers in front of everything else: the edge guard first, then the
 * proxy, then (for anything not proxied) the console and Quarkus' own routes. Installs the failure
 * and 404 handlers that answer with problem+json instead of HTML or a stack trace.
 */
@Singleton
class RouterSetup {

    static final int EDGE_ORDER = -10_000;
    static final int PROXY_ORDER = -9_000;

    private static final Logger LOG = Logger.getLogger(RouterSetup.class);

    private final EdgeGuard edge;
    private final ProxyHandler proxy;

    RouterSetup(EdgeGuard edge, ProxyHandler proxy) {
        this.edge = edge;
        this.proxy = proxy;
    }

    void install(@Observes Router router) {
        router.route().order(EDGE_ORDER).handler(edge::handle);
        router.route().order(PROXY_ORDER).handler(proxy::handle);
        router.route().order(EDGE_ORDER).failureHandler(this::failure);
        router.errorHandler(404, ctx -> Problems.send(ctx, 404, "no route for " + ctx.normalizedPath()));
        router.errorHandler(405, ctx -> Problems.send(ctx, 405, ctx.request().method() + " is not allowed on " + ctx.normalizedPath()));
        router.errorHandler(500, this::failure);
    }

    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
        if (ctx.failure() != null && status >= 500) {
            LOG.errorf(ctx.failure(), "request %s %s failed", ctx.request().method(), ctx.normalizedPath());
        }
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        ctx.response().headers().remove(HttpHeaders.CONTENT_LENGTH);
        Problems.send(ctx, status, status >= 500
                ? "the gateway failed to handle this request (request id " + GatewayContext.requestId(ctx) + ")"
                : "the request was refused");
    }
}
