package io.memroos.registry.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A local A2A card server on 127.0.0.1 for the registry tests, allowlisted under {@code /allowed/}; also wipes
 * the test data directory so every run starts from an empty registry.db.
 * <p>
 * Routes: {@code /allowed/v10/...} a 1.0 card, {@code /allowed/v03/...} a 0.3 card, {@code /allowed/invalid/}
 * a card without a name, {@code /allowed/big/} 300 KiB streamed, {@code /allowed/slow/} answers after 4 s,
 * {@code /allowed/redirect/} 302 to {@code /private/}, {@code /allowed/redirect-ok/} 302 to {@code /allowed/v03b/},
 * {@code /private/} a valid card outside the allowlist, {@code /allowed/etag/<name>/} a card with an ETag that
 * answers 304 to a matching If-None-Match, or 500 after {@code POST /control/fail/<name>} (undone by
 * {@code POST /control/ok/<name>}); {@code GET /control/hits/<name>} and {@code /control/304/<name>} count.
 */
public class CardServer implements QuarkusTestResourceLifecycleManager {

    static final String WELL_KNOWN = "/.well-known/agent-card.json";

    private HttpServer server;
    private final Map<String, Boolean> failing = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> notModified = new ConcurrentHashMap<>();

    @Override
    public Map<String, String> start() {
        wipe(Path.of("target", "test-data"));
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of(
                "memroos.registry.remote.allowed-url-prefixes", base + "/allowed/",
                "memroos.test.card-server", base);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        try (ex) {
            if (path.startsWith("/control/")) {
                String[] parts = path.split("/");
                String what = parts[2];
                String name = parts[3];
                switch (what) {
                    case "fail" -> failing.put(name, true);
                    case "ok" -> failing.remove(name);
                    case "hits" -> {
                        send(ex, 200, String.valueOf(hits.computeIfAbsent(name, n -> new AtomicInteger()).get()));
                        return;
                    }
                    case "304" -> {
                        send(ex, 200, String.valueOf(notModified.computeIfAbsent(name, n -> new AtomicInteger()).get()));
                        return;
                    }
                    default -> {
                        send(ex, 404, "");
                        return;
                    }
                }
                send(ex, 204, null);
                return;
            }
            if (!path.endsWith(WELL_KNOWN)) {
                send(ex, 404, "");
                return;
            }
            String dir = path.substring(0, path.length() - WELL_KNOWN.length());
            switch (dir) {
                case "/allowed/v10" -> json(ex, card10("Card Agent Ten", base + "/agents/ten"));
                case "/allowed/v03" -> json(ex, card03("Card Agent Oh Three", base + "/agents/three"));
                case "/allowed/v03b" -> json(ex, card03("Card Agent Redirected", base + "/agents/redirected"));
                case "/allowed/invalid" -> json(ex, "{\"description\":\"no name\",\"url\":\"http://x.example/\","
                        + "\"version\":\"1\",\"capabilities\":{},\"defaultInputModes\":[],\"defaultOutputModes\":[],"
                        + "\"skills\":[]}");
                case "/allowed/big" -> {
                    ex.getResponseHeaders().set("Content-Type", "application/json");
                    ex.sendResponseHeaders(200, 0); // chunked: no Content-Length to refuse early
                    try (OutputStream out = ex.getResponseBody()) {
                        byte[] chunk = " ".repeat(8192).getBytes(StandardCharsets.UTF_8);
                        out.write("{\"padding\":\"".getBytes(StandardCharsets.UTF_8));
                        for (int i = 0; i < 300 * 1024 / 8192 + 1; i++) {
                            out.write(chunk);
                        }
                        out.write("\"}".getBytes(StandardCharsets.UTF_8));
                    } catch (IOException expected) {
                        // the registry hangs up once it has seen enough
                    }
                }
                case "/allowed/slow" -> {
                    sleep(4000);
                    json(ex, card03("Slow Agent", base + "/agents/slow"));
                }
                case "/allowed/redirect" -> redirect(ex, base + "/private" + WELL_KNOWN);
                case "/allowed/redirect-ok" -> redirect(ex, "/allowed/v03b" + WELL_KNOWN);
                case "/private" -> json(ex, card03("Private Agent", base + "/agents/private"));
                default -> {
                    if (dir.startsWith("/allowed/etag/")) {
                        etag(ex, dir.substring("/allowed/etag/".length()), base);
                    } else {
                        send(ex, 404, "");
                    }
                }
            }
        }
    }

    private void etag(HttpExchange ex, String name, String base) throws IOException {
        hits.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        if (failing.containsKey(name)) {
            send(ex, 500, "down");
            return;
        }
        String tag = "\"v1-" + name + "\"";
        if (tag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
            notModified.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            ex.getResponseHeaders().set("ETag", tag);
            ex.sendResponseHeaders(304, -1);
            return;
        }
        ex.getResponseHeaders().set("ETag", tag);
        json(ex, card10("Polled " + name, base + "/agents/" + name));
    }

    static String card10(String name, String url) {
        return """
                {"name":"%s","description":"An A2A 1.0 agent","version":"2.1.0",
                 "supportedInterfaces":[{"url":"%s","protocolBinding":"JSONRPC","protocolVersion":"1.0"},
                                        {"url":"%s/rest","protocolBinding":"HTTP+JSON","protocolVersion":"1.0"}],
                 "provider":{"organization":"Example Org","url":"https://example.org"},
                 "capabilities":{"streaming":true,"pushNotifications":false},
                 "defaultInputModes":["text/plain"],"defaultOutputModes":["text/plain"],
                 "skills":[{"id":"translate","name":"Translate","description":"Translates text","tags":["language","text"]}]}
                """.formatted(name, url, url);
    }

    static String card03(String name, String url) {
        return """
                {"protocolVersion":"0.3.0","name":"%s","description":"An A2A 0.3 agent","url":"%s",
                 "preferredTransport":"JSONRPC","additionalInterfaces":[{"url":"%s","transport":"JSONRPC"}],
                 "version":"0.9.0","capabilities":{"streaming":false,"pushNotifications":true},
                 "defaultInputModes":["text/plain"],"defaultOutputModes":["application/json"],
                 "skills":[{"id":"weather","name":"Weather","description":"Forecasts","tags":["weather"]}]}
                """.formatted(name, url, url);
    }

    private static void json(HttpExchange ex, String body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        send(ex, 200, body);
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        ex.sendResponseHeaders(302, -1);
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void wipe(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
