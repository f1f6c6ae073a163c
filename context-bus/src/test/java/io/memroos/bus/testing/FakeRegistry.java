package io.memroos.bus.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the registry's internal routes ({@code GET /internal/agents/{id}},
 * {@code GET /internal/agents?capability=}), on the JDK HTTP server. Agents are added by the tests; with a
 * wildcard prefix every id starting with it is an active agent.
 */
public final class FakeRegistry implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, Map<String, Object>> agents = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile String wildcardPrefix;
    private volatile boolean down;
    private volatile String lastAuthorization;

    public FakeRegistry(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/internal/agents", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public FakeRegistry acceptAll(String prefix) {
        this.wildcardPrefix = prefix;
        return this;
    }

    public void down(boolean down) {
        this.down = down;
    }

    public int calls() {
        return calls.get();
    }

    public String lastAuthorization() {
        return lastAuthorization;
    }

    public void add(String id, List<String> capabilities) {
        add(id, capabilities, "active", "rest", "http://127.0.0.1:9/" + id);
    }

    public void add(String id, List<String> capabilities, String status, String endpointKind, String endpointUrl) {
        agents.put(id, agent(id, capabilities, status, endpointKind, endpointUrl));
    }

    public void deregister(String id) {
        Map<String, Object> a = agents.get(id);
        if (a != null) {
            a.put("status", "deregistered");
        }
    }

    private static Map<String, Object> agent(String id, List<String> capabilities, String status, String kind,
                                             String url) {
        Map<String, Object> a = new ConcurrentHashMap<>();
        a.put("id", id);
        a.put("name", "Agent " + id);
        a.put("description", "test agent");
        a.put("owner", "team-test");
        a.put("capabilities", capabilities);
        a.put("skills", List.of());
        a.put("endpoint", Map.of("kind", kind, "url", url));
        a.put("status", status);
        a.put("liveness", "online");
        a.put("source", "registered");
        return a;
    }

    private void handle(HttpExchange ex) throws IOException {
        calls.incrementAndGet();
        lastAuthorization = ex.getRequestHeaders().getFirst("Authorization");
        try (ex) {
            if (down) {
                send(ex, 500, Map.of("title", "down"));
                return;
            }
            String auth = lastAuthorization;
            if (auth == null || !auth.startsWith("Bearer ")) {
                send(ex, 401, Map.of("title", "Unauthorized"));
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (path.equals("/internal/agents") || path.equals("/internal/agents/")) {
                Map<String, String> q = query(ex.getRequestURI().getRawQuery());
                String capability = q.get("capability");
                List<Object> items = new ArrayList<>();
                for (Map<String, Object> a : agents.values()) {
                    @SuppressWarnings("unchecked")
                    List<String> caps = (List<String>) a.get("capabilities");
                    if ("active".equals(a.get("status")) && (capability == null || caps.contains(capability))) {
                        items.add(a);
                    }
                }
                Map<String, Object> page = new LinkedHashMap<>();
                page.put("items", items);
                page.put("nextCursor", null);
                send(ex, 200, page);
                return;
            }
            String id = URLDecoder.decode(path.substring("/internal/agents/".length()), StandardCharsets.UTF_8);
            Map<String, Object> a = agents.get(id);
            if (a == null && wildcardPrefix != null && id.startsWith(wildcardPrefix)) {
                a = agent(id, List.of(), "active", "rest", "http://127.0.0.1:9/" + id);
            }
            if (a == null) {
                send(ex, 404, Map.of("type", "https://memroos.dev/problems/not-found", "title", "Not found",
                        "status", 404, "detail", "no agent " + id));
            } else {
                send(ex, 200, a);
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
