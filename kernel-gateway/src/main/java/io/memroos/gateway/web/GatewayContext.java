package io.memroos.gateway.web;

import io.memroos.gateway.auth.Caller;
import io.vertx.ext.web.RoutingContext;

/** What the edge handler leaves on a request for the handlers after it. */
public final class GatewayContext {

    static final String REQUEST_ID = "memroos.requestId";
    static final String CALLER = "memroos.caller";

    private GatewayContext() {
    }

    public static String requestId(RoutingContext ctx) {
        String id = ctx.get(REQUEST_ID);
        return id != null ? id : ctx.request().getHeader(RequestIds.HEADER);
    }

    public static void requestId(RoutingContext ctx, String id) {
        ctx.put(REQUEST_ID, id);
    }

    public static Caller caller(RoutingContext ctx) {
        return ctx.get(CALLER);
    }

    public static void caller(RoutingContext ctx, Caller caller) {
        ctx.put(CALLER, caller);
    }
}
