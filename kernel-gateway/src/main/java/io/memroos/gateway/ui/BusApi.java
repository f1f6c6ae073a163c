package io.memroos.gateway.ui;

import io.memroos.gateway.keys.InternalTokens;
import io.memroos.gateway.proxy.ServiceClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** What the console asks the context bus, as the operator, through the gateway's one {@link ServiceClient}. */
@Singleton
class BusApi {

    static final String SERVICE = "bus";
    static final String UNAVAILABLE = "The context bus is unavailable: it is not running or does not answer. "
            + "Start it (./memroos up) and this page recovers by itself.";

    /** The bus answered with a refusal (4xx/5xx problem). */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String detail) {
            super(detail, null, false, false);
            this.status = status;
        }
    }

    /** The bus could not be reached, or did not answer in time. */
    static final class Unavailable extends RuntimeException {
        Unavailable(Throwable cause) {
            super(UNAVAILABLE, cause, false, false);
        }
    }

    private final ServiceClient client;
    private final InternalTokens tokens;

    BusApi(ServiceClient client, InternalTokens tokens) {
        this.client = client;
        this.tokens = tokens;
    }

    Uni<List<Views.Backlog>> backlog(String requestId) {
        return call(HttpMethod.GET, "/api/agent-context/admin/backlog", requestId)
                .map(j -> Views.items(j).stream().map(Views.Backlog::from).toList());
    }

    /** Messages whose subject or body matches {@code q}, newest first (the first 50). */
    Uni<List<Views.BusMessage>> search(String q, String requestId) {
        return call(HttpMethod.GET, "/api/agent-context/admin/messages?limit=50&q=" + enc(q), requestId)
                .map(j -> Views.items(j).stream().map(Views.BusMessage::from).toList());
    }

    /** Dead letters of every agent, newest first (the first 100). */
    Uni<List<Views.DeadLetter>> deadLetters(String requestId) {
        return call(HttpMethod.GET, "/api/agent-context/admin/dead-letters?limit=100", requestId)
                .map(j -> Views.items(j).stream().map(Views.DeadLetter::from).toList());
    }

    /** The thread's messages in the order sent; empty when the bus knows no such thread. */
    Uni<Optional<List<Views.BusMessage>>> thread(String threadId, String requestId) {
        return call(HttpMethod.GET, "/api/agent-context/threads/" + enc(threadId), requestId)
                .map(j -> Optional.of(Views.items(new JsonObject().put("items", ((JsonObject) j).getValue("messages")))
                        .stream().map(Views.BusMessage::from).toList()))
                .onFailure(e -> e instanceof Refused r && r.status == 404).recoverWithItem(Optional.empty());
    }

    Uni<Void> requeue(String deadLetterId, String requestId) {
        return call(HttpMethod.POST, "/api/agent-context/admin/dead-letters/" + enc(deadLetterId) + "/requeue", requestId)
                .replaceWithVoid();
    }

    Uni<Void> purge(String deadLetterId, String requestId) {
        return call(HttpMethod.DELETE, "/api/agent-context/admin/dead-letters/" + enc(deadLetterId), requestId)
                .replaceWithVoid();
    }

    /**
     * Calls the bus as the operator; returns the parsed JSON. Fails with {@link Unavailable} when the bus
     * cannot be reached, with {@link Refused} when it answers with an error.
     */
    private Uni<Object> call(HttpMethod method, String uri, String requestId) {
        Future<ServiceClient.Reply> reply;
        try {
            reply = client.call(SERVICE, method, uri, tokens.operator(), requestId, null);
        } catch (RuntimeException notConfigured) {
            return Uni.createFrom().failure(new Unavailable(notConfigured));
        }
        return Uni.createFrom().completionStage(reply.toCompletionStage())
                .onFailure().transform(err -> err instanceof ServiceClient.DownstreamException
                        || err.getCause() instanceof ServiceClient.DownstreamException ? new Unavailable(err) : err)
                .map(r -> {
                    if (!r.ok()) {
                        if (r.status() == 502 || r.status() == 503 || r.status() == 504) {
                            throw new Unavailable(null);
                        }
                        throw new Refused(r.status(), detail(r));
                    }
                    if (r.body() == null || r.body().length() == 0) {
                        return new JsonObject();
                    }
                    return io.vertx.core.json.Json.decodeValue(r.body());
                });
    }

    private static String detail(ServiceClient.Reply reply) {
        try {
            JsonObject problem = reply.json();
            return problem.getString("detail", problem.getString("title", "the context bus answered " + reply.status()));
        } catch (RuntimeException notJson) {
            return "the context bus answered " + reply.status();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
