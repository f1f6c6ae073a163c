package io.memroos.bus.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A recording stand-in for governance's {@code POST /internal/events} (a JDK HttpServer on a free loopback port):
 * ingests by event id like governance does (a second copy counts as a duplicate), records the token's subject,
 * and can be told to answer an error status (governance down) for a while.
 */
public final class GovernanceReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final Set<String> subjects = ConcurrentHashMap.newKeySet();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger posts = new AtomicInteger();
    private volatile int failWith;

    private GovernanceReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/internal/events", this::handle);
        server.start();
    }

    public static GovernanceReceiver start() {
        try {
            return new GovernanceReceiver();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The base URL (events go to {@code url() + "/internal/events"}). */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answer {@code status} to every call from now on (503: governance down); 0 to accept again. */
    public void failWith(int status) {
        failWith = status;
    }

    /** Every event ingested, once each, in arrival order. */
    public List<JsonNode> events() {
        return List.copyOf(events);
    }

    /** The events about one asset, in arrival order. */
    public List<JsonNode> about(String assetId) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : events) {
            if (assetId.equals(e.path("asset").path("id").asText())) {
                out.add(e);
            }
        }
        return out;
    }

    public int duplicates() {
        return duplicates.get();
    }

    /** Calls answered with an error status. */
    public int refused() {
        return refused.get();
    }

    public int posts() {
        return posts.get();
    }

    /** The {@code sub} of every bearer token seen. */
    public Set<String> subjects() {
        return Set.copyOf(subjects);
    }

    /** Waits until {@code done} holds for the ingested events; fails the test with what arrived otherwise. */
    public List<JsonNode> await(Predicate<List<JsonNode>> done, Duration within) {
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            List<JsonNode> now = events();
            if (done.test(now)) {
                return now;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("governance did not receive the expected events within " + within + "; got "
                + events());
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            posts.incrementAndGet();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (!"POST".equals(ex.getRequestMethod()) || auth == null || !auth.startsWith("Bearer ")) {
                refused.incrementAndGet();
                reply(ex, 401, "{}");
                return;
            }
            subjects.add(subject(auth.substring(7)));
            byte[] body = ex.getRequestBody().readAllBytes();
            int fail = failWith;
            if (fail != 0) {
                refused.incrementAndGet();
                reply(ex, fail, "{\"title\":\"governance is down\"}");
                return;
            }
            JsonNode batch = JSON.readTree(new String(body, StandardCharsets.UTF_8));
            int accepted = 0;
            for (JsonNode e : batch.path("events")) {
                if (ids.add(e.path("id").asText())) {
                    events.add(e);
                    accepted++;
                } else {
                    duplicates.incrementAndGet();
                }
            }
            reply(ex, 200, "{\"accepted\":" + accepted + "}");
        }
    }

    private static String subject(String jwt) {
        try {
            String[] parts = jwt.split("\\.");
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).path("sub").asText();
        } catch (Exception e) {
            return "?";
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
