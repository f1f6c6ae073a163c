package io.memroos.gateway.web;

import io.memroos.contract.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;

/** Writes {@code application/problem+json} answers on the Vert.x layer. */
public final class Problems {

    private Problems() {
    }

    /** The kind (last part of the type URI) and title for a status the gateway answers with itself. */
    public static Problem forStatus(int status, String detail) {
        return switch (status) {
            case 400 -> Problem.of(400, "bad-request", "Bad request", detail);
            case 401 -> Problem.of(401, "unauthorized", "Authentication required", detail);
            case 403 -> Problem.of(403, "forbidden", "Forbidden", detail);
            case 404 -> Problem.of(404, "not-found", "Not found", detail);
            case 405 -> Problem.of(405, "method-not-allowed", "Method not allowed", detail);
            case 413 -> Problem.of(413, "payload-too-large", "Request body too large", detail);
            case 415 -> Problem.of(415, "unsupported-media-type", "Unsupported media type", detail);
            case 429 -> Problem.of(429, "rate-limited", "Too many requests", detail);
            case 502 -> Problem.of(502, "bad-gateway", "Bad gateway", detail);
            case 503 -> Problem.of(503, "service-unavailable", "Service unavailable", detail);
            case 504 -> Problem.of(504, "gateway-timeout", "Gateway timeout", detail);
            default -> status >= 500
                    ? Problem.of(status, "internal", "Internal error", detail)
                    : Problem.of(status, "client-error", "Request refused", detail);
        };
    }

    /** Ends the exchange with a problem body (no-op when the response has already started). */
    public static void send(RoutingContext ctx, int status, String detail) {
        send(ctx, forStatus(status, detail));
    }

    public static void send(RoutingContext ctx, Problem problem) {
        send(ctx, problem, null);
    }

    /** A problem with extension members (RFC 9457 section 3.2), e.g. the {@code decisionId} of a policy refusal. */
    public static void send(RoutingContext ctx, Problem problem, java.util.Map<String, Object> extensions) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        if (!ctx.request().isEnded()) {
            // a refused request may still be paused with its body unread: drain (discard) it so the
            // keep-alive connection can carry the next request
            ctx.request().resume();
        }
        Problem body = problem.withInstance(ctx.normalizedPath(), GatewayContext.requestId(ctx));
        response.setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (problem.status() == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        if (extensions == null || extensions.isEmpty()) {
            response.end(Json.encode(body));
            return;
        }
        io.vertx.core.json.JsonObject json = new io.vertx.core.json.JsonObject(Json.encode(body));
        extensions.forEach(json::put);
        response.end(json.encode());
    }
}
