package io.memroos.memory.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * A model endpoint on this machine that speaks the OpenAI ({@code /chat/completions}, {@code /embeddings}) and
 * Ollama ({@code /api/chat}, {@code /api/embed}) wire formats and answers from a script: no hosted model runs here.
 * It records every request. It listens on 127.0.0.1, on a random port below the ephemeral range.
 */
public final class ScriptedEndpoint implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the endpoint saw it (header names in lower case). */
    public record Request(String method, String path, Map<String, String> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What to answer, after an optional delay. */
    public record Reply(int status, String body, Duration delay) {
        public static Reply ok(String json) {
            return new Reply(200, json, Duration.ZERO);
        }

        public static Reply status(int status) {
            return new Reply(status, "{\"error\":{\"message\":\"scripted failure\",\"type\":\"server_error\"}}",
                    Duration.ZERO);
        }

        public Reply after(Duration delay) {
            return new Reply(status, body, delay);
        }
    }

    public final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<Reply> script = new ConcurrentLinkedDeque<>();
    private volatile Function<Request, Reply> otherwise = r -> new Reply(500, "{\"error\":\"script exhausted\"}",
            Duration.ZERO);
    private final HttpServer server;
    private final ExecutorService pool;

    private ScriptedEndpoint(HttpServer server, ExecutorService pool) {
        this.server = server;
        this.pool = pool;
    }

    public static ScriptedEndpoint start() {
        for (int attempt = 0; ; attempt++) {
            int port = 20_000 + ThreadLocalRandom.current().nextInt(10_000);
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
                ExecutorService pool = Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "scripted-endpoint");
                    t.setDaemon(true);
                    return t;
                });
                ScriptedEndpoint endpoint = new ScriptedEndpoint(server, pool);
                server.createContext("/", endpoint::handle);
                server.setExecutor(pool);
                server.start();
                return endpoint;
            } catch (BindException e) {
                if (attempt > 50) {
                    throw new UncheckedIOException(e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The URL of a path on this endpoint ("/v1" for an OpenAI base URL, "" for Ollama's). */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answers the next requests with these replies, in order. */
    public ScriptedEndpoint script(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** Answers every request the script does not cover with this function. */
    public ScriptedEndpoint otherwise(Function<Request, Reply> answer) {
        this.otherwise = answer;
        return this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body);
            requests.add(request);
            Reply reply = script.pollFirst();
            if (reply == null) {
                reply = otherwise.apply(request);
            }
            if (!reply.delay().isZero()) {
                try {
                    Thread.sleep(reply.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), out.length);
            exchange.getResponseBody().write(out);
        } catch (IOException e) {
            // the client gave up (a timeout test): nothing to answer
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    // ---- the wire formats ----------------------------------------------------------------------------------

    /** An OpenAI chat completion whose message is {@code content}. */
    public static String openAiChat(String content) {
        ObjectNode root = JSON.createObjectNode().put("id", "chatcmpl-scripted").put("object", "chat.completion")
                .put("created", 1_795_500_000L).put("model", "scripted");
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        root.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15);
        return root.toString();
    }

    /** An Ollama /api/chat answer (not streamed) whose message is {@code content}. */
    public static String ollamaChat(String content) {
        ObjectNode root = JSON.createObjectNode().put("model", "scripted")
                .put("created_at", "2026-11-24T07:00:00.000000Z").put("done", true).put("done_reason", "stop");
        root.putObject("message").put("role", "assistant").put("content", content);
        return root.put("prompt_eval_count", 10).put("eval_count", 5).toString();
    }

    /** An OpenAI /embeddings answer. */
    public static String openAiEmbeddings(List<float[]> vectors) {
        ObjectNode root = JSON.createObjectNode().put("object", "list").put("model", "scripted");
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < vectors.size(); i++) {
            ArrayNode v = data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
            for (float f : vectors.get(i)) {
                v.add(f);
            }
        }
        root.putObject("usage").put("prompt_tokens", 3).put("total_tokens", 3);
        return root.toString();
    }

    /** An Ollama /api/embed answer. */
    public static String ollamaEmbed(List<float[]> vectors) {
        ObjectNode root = JSON.createObjectNode().put("model", "scripted");
        ArrayNode all = root.putArray("embeddings");
        for (float[] vector : vectors) {
            ArrayNode v = all.addArray();
            for (float f : vector) {
                v.add(f);
            }
        }
        return root.toString();
    }

    /** A deterministic vector for a text (a bag of hashed character trigrams, normalised). */
    public static float[] vectorOf(String text, int dimension) {
        float[] v = new float[dimension];
        String t = text.toLowerCase(Locale.ROOT);
        for (int i = 0; i + 3 <= t.length(); i++) {
            v[Math.floorMod(t.substring(i, i + 3).hashCode(), dimension)] += 1f;
        }
        double norm = 0;
        for (float f : v) {
            norm += f * f;
        }
        if (norm == 0) {
            v[0] = 1f;
            return v;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    /** The texts a request asks to embed (OpenAI and Ollama both send {@code input}, a string or a list). */
    public static List<String> inputs(Request request) {
        JsonNode input = request.json().path("input");
        List<String> out = new ArrayList<>();
        if (input.isArray()) {
            input.forEach(n -> out.add(n.asText()));
        } else {
            out.add(input.asText());
        }
        return out;
    }

    /** Answers embedding requests in the format of their path, with {@link #vectorOf} vectors. */
    public static Reply embeddings(Request request, int dimension) {
        List<float[]> vectors = inputs(request).stream().map(t -> vectorOf(t, dimension)).toList();
        return Reply.ok(request.path().endsWith("/api/embed") ? ollamaEmbed(vectors) : openAiEmbeddings(vectors));
    }
}
