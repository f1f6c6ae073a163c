package io.memroos.a2a.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memroos.a2a.domain.A2aException;
import io.memroos.a2a.domain.AgentRef;
import io.memroos.a2a.protocol.Version;
import io.memroos.a2a.protocol.Wire;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The broker as an A2A client of a registered agent: learns the agent's protocol version and JSON-RPC URL from
 * its card, and speaks 1.0 or 0.3 to it; every answer comes back in the 1.0 shape.
 */
public final class Upstream {

    /** Where and how to reach an agent. */
    public record Remote(String url, Version version) {
    }

    private record CachedRemote(Remote remote, long at) {
    }

    private final HttpClient http;
    /** Unary calls: a pooled keep-alive Vert.x client (cheaper per call than the JDK client); null without Vert.x. */
    private final io.vertx.core.http.HttpClient unary;
    /**
     * The same, one client per event loop for calls made on a loop: its connections live on that loop, so the
     * request is written and the answer read on the caller's thread (a shared pool hands connections across loops,
     * and every answer then hops threads back to its caller).
     */
    private final ThreadLocal<io.vertx.core.http.HttpClient> onThisLoop;
    private final Duration timeout;
    private final Map<String, CachedRemote> remotes = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    public Upstream(Duration timeout) {
        this(timeout, null);
    }

    public Upstream(Duration timeout, Vertx vertx) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3)).build();
        HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setConnectTimeout(3000)
                .setKeepAliveTimeout(4).setMaxPoolSize(64).setMaxWaitQueueSize(-1);
        this.unary = vertx == null ? null : vertx.createHttpClient(options);
        this.onThisLoop = vertx == null ? null : ThreadLocal.withInitial(() -> vertx.createHttpClient(options));
    }

    private record Answer(int status, String body) {
    }

    private ObjectNode body(Remote remote, String method10, ObjectNode params10) {
        ObjectNode body = Wire.obj();
        body.put("jsonrpc", "2.0");
        body.put("id", ids.incrementAndGet());
        body.put("method", method(method10, remote.version()));
        body.set("params", params(method10, params10, remote.version()));
        return body;
    }

    /** POSTs a JSON-RPC body over the pooled Vert.x client and waits (never on an event loop) for the answer. */
    private Answer post(Remote remote, String body) {
        try {
            return exchange(remote, body).toCompletionStage().toCompletableFuture()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new Unreachable("agent unreachable at " + remote.url() + ": " + cause, cause);
        } catch (TimeoutException e) {
            throw new Unreachable("agent unreachable at " + remote.url() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted", e);
        }
    }

    /**
     * One JSON-RPC POST over a pooled client: the calling loop's own client on an event loop (the answer arrives on
     * that loop), the shared one elsewhere.
     */
    private io.vertx.core.Future<Answer> exchange(Remote remote, String body) {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(remote.url())
                .putHeader("Content-Type", "application/json").putHeader("Accept", "application/json")
                .putHeader(Version.HEADER, remote.version().wire).setIdleTimeout(timeout.toMillis());
        io.vertx.core.http.HttpClient client = io.vertx.core.Context.isOnEventLoopThread() ? onThisLoop.get() : unary;
        // body() is asked for in the handler that gets the response, before any of it can be dropped
        return client.request(o)
                .compose(req -> req.send(Buffer.buffer(body)).compose(resp -> resp.body()
                        .map(b -> new Answer(resp.statusCode(), b.toString(StandardCharsets.UTF_8)))));
    }

    /** The agent's endpoint if known without fetching its card (fresh in the cache), else null. */
    public Remote peek(AgentRef agent) {
        return unary == null ? null : cached(agent);
    }

    /** The endpoint learnt from the agent's card within the last minute, else null. */
    private Remote cached(AgentRef agent) {
        CachedRemote c = remotes.get(agent.id());
        return c != null && System.nanoTime() - c.at < 60_000_000_000L ? c.remote : null;
    }

    /**
     * {@link #call} without blocking: for an event loop (the answer arrives on the caller's context). Failures are
     * {@link Unreachable} or {@link A2aException}, as from {@code call}.
     */
    public io.vertx.core.Future<JsonNode> callAsync(Remote remote, String method10, ObjectNode params10) {
        return exchange(remote, Wire.write(body(remote, method10, params10)))
                .recover(e -> io.vertx.core.Future.failedFuture(e instanceof Unreachable ? e
                        : new Unreachable("agent unreachable at " + remote.url() + ": " + e, e)))
                .map(r -> decode(r, method10, remote.version()));
    }

    public Remote resolve(AgentRef agent) {
        Remote known = cached(agent);
        if (known != null) {
            return known;
        }
        Remote r = fromCard(agent);
        remotes.put(agent.id(), new CachedRemote(r, System.nanoTime()));
        return r;
    }

    public void forget(String agentId) {
        remotes.remove(agentId);
    }

    private Remote fromCard(AgentRef agent) {
        String base = agent.endpointUrl();
        String cardUrl = agent.cardUrl() != null ? agent.cardUrl()
                : (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/.well-known/agent-card.json";
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(cardUrl)).timeout(timeout).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonNode card = Wire.JSON.readTree(r.body());
                if (card.has("supportedInterfaces")) {
                    Remote legacy = null;
                    for (JsonNode i : card.path("supportedInterfaces")) {
                        if (!"JSONRPC".equalsIgnoreCase(i.path("protocolBinding").asText())) {
                            continue;
                        }
                        Version v = Version.parse(i.path("protocolVersion").asText(null), Version.V1_0);
                        if (v == Version.V1_0) {
                            return new Remote(i.path("url").asText(), v);
                        }
                        legacy = new Remote(i.path("url").asText(), v);
                    }
                    if (legacy != null) {
                        return legacy;
                    }
                } else if (card.has("url")) {
                    return new Remote(card.path("url").asText(),
                            Version.parse(card.path("protocolVersion").asText(null), Version.V0_3));
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall back to the registered endpoint
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Remote(base, Version.V1_0);
    }

    private static String method(String method10, Version v) {
        if (v == Version.V1_0) {
            return method10;
        }
        for (Map.Entry<String, String> e : Version.LEGACY_METHODS.entrySet()) {
            if (e.getValue().equals(method10)) {
                return e.getKey();
            }
        }
        throw new A2aException(A2aException.Kind.UNSUPPORTED_OPERATION, method10 + " has no 0.3 equivalent");
    }

    private static ObjectNode params(String method10, ObjectNode params10, Version v) {
        if (v == Version.V1_0) {
            return params10;
        }
        return switch (method10) {
            case "SendMessage", "SendStreamingMessage" -> Wire.sendParams03(params10);
            default -> params10;
        };
    }

    private HttpRequest request(Remote remote, String method10, ObjectNode params10, boolean stream) {
        ObjectNode body = body(remote, method10, params10);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(remote.url()))
                .header("Content-Type", "application/json")
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .header(Version.HEADER, remote.version().wire)
                .POST(HttpRequest.BodyPublishers.ofString(Wire.write(body)));
        if (!stream) {
            b.timeout(timeout);
        }
        return b.build();
    }

    /** A unary call; the result in the 1.0 shape (SendMessage: {task}|{message}, GetTask/CancelTask: Task). */
    public JsonNode call(Remote remote, String method10, ObjectNode params10) {
        Answer r;
        if (unary != null) {
            r = post(remote, Wire.write(body(remote, method10, params10)));
        } else {
            try {
                HttpResponse<String> jr = http.send(request(remote, method10, params10, false),
                        HttpResponse.BodyHandlers.ofString());
                r = new Answer(jr.statusCode(), jr.body());
            } catch (IOException e) {
                throw new Unreachable("agent unreachable at " + remote.url() + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unreachable("interrupted", e);
            }
        }
        return decode(r, method10, remote.version());
    }

    private static JsonNode decode(Answer r, String method10, Version version) {
        if (r.status() == 502 || r.status() == 503 || r.status() == 504) {
            throw new Unreachable("agent answered " + r.status(), null);
        }

        JsonNode body;
        try {
            body = Wire.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new A2aException(A2aException.Kind.INVALID_AGENT_RESPONSE, "agent answered no JSON (HTTP "
                    + r.status() + ")");
        }
        return result(body, method10, version);
    }

    private static JsonNode result(JsonNode body, String method10, Version v) {
        if (body.has("error")) {
            JsonNode err = body.get("error");
            int code = err.path("code").asInt(-32603);
            for (A2aException.Kind k : A2aException.Kind.values()) {
                if (k.code == code && k.httpStatus != 401 && k.httpStatus != 403) {
                    throw new A2aException(k, "agent: " + err.path("message").asText(k.title));
                }
            }
            throw new A2aException(A2aException.Kind.INTERNAL, "agent: " + err.path("message").asText());
        }
        if (!body.has("result")) {
            throw new A2aException(A2aException.Kind.INVALID_AGENT_RESPONSE, "agent answered no result");
        }
        JsonNode result = body.get("result");
        if (v == Version.V1_0) {
            return result;
        }
        return switch (method10) {
            case "SendMessage", "SendStreamingMessage", "SubscribeToTask" -> Wire.streamResponse10(result);
            case "GetTask", "CancelTask" -> Wire.task10(result);
            default -> result;
        };
    }

    /**
     * A streaming call: each event, in the 1.0 StreamResponse shape, goes to {@code onEvent} as it arrives; returns
     * when the agent closes the stream.
     */
    public void stream(Remote remote, String method10, ObjectNode params10, Consumer<ObjectNode> onEvent) {
        HttpResponse<InputStream> r;
        try {
            r = http.send(request(remote, method10, params10, true), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new Unreachable("agent unreachable at " + remote.url() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted", e);
        }
        if (r.statusCode() == 502 || r.statusCode() == 503 || r.statusCode() == 504) {
            throw new Unreachable("agent answered " + r.statusCode(), null);
        }
        String type = r.headers().firstValue("Content-Type").orElse("");
        try (InputStream in = r.body();
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            if (!type.startsWith("text/event-stream")) {
                JsonNode body = Wire.JSON.readTree(in);
                JsonNode result = result(body, method10, remote.version());
                onEvent.accept((ObjectNode) result);
                return;
            }
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        JsonNode body = Wire.JSON.readTree(data.toString());
                        data.setLength(0);
                        onEvent.accept((ObjectNode) result(body, method10, remote.version()));
                    }
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).stripLeading());
                }
            }
        } catch (IOException e) {
            throw new Unreachable("stream from " + remote.url() + " broke: " + e, e);
        }
    }
}
