package io.memroos.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the context bus's operator routes (the gateway tests do not start the bus): canned
 * backlog, search, one thread, and dead letters that requeue and purge really remove. Records every
 * request as "METHOD path?query auth".
 */
public class FakeBus implements QuarkusTestResourceLifecycleManager {

    static final List<String> REQUESTS = new CopyOnWriteArrayList<>();
    static final List<String> DEAD = new CopyOnWriteArrayList<>();

    private HttpServer server;

    static void reset() {
        REQUESTS.clear();
        DEAD.clear();
        DEAD.addAll(List.of("dl_one", "dl_two"));
    }

    @Override
    public Map<String, String> start() {
        reset();
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
        return Map.of("memroos.gateway.services.bus", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static String message(String id, String subject, String thread) {
        return "{\"id\":\"" + id + "\",\"sender\":\"agt_alice\",\"recipients\":[\"agt_bob\"],\"threadId\":\"" + thread
                + "\",\"replyTo\":null,\"subject\":\"" + subject + "\",\"bodyKind\":\"json\",\"body\":{\"text\":\"<b>hi</b> " + subject
                + "\"},\"priority\":5,\"label\":\"internal\",\"idempotencyKey\":null,\"createdAt\":\"2026-01-02T03:04:05Z\","
                + "\"expiresAt\":\"2026-01-09T03:04:05Z\"}";
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getRawQuery();
        String method = ex.getRequestMethod();
        REQUESTS.add(method + " " + path + (query == null ? "" : "?" + query) + " "
                + (ex.getRequestHeaders().getFirst("Authorization") == null ? "no-auth" : "bearer"));
        String prefix = "/api/agent-context/admin/dead-letters/";
        if (method.equals("GET") && path.equals("/api/agent-context/admin/backlog")) {
            send(ex, 200, "{\"items\":[{\"agentId\":\"agt_bob\",\"pending\":3,\"inFlight\":1,\"dead\":" + DEAD.size()
                    + ",\"lastSeq\":7,\"oldestPendingAt\":\"2026-01-02T03:04:05Z\"}]}");
        } else if (method.equals("GET") && path.equals("/api/agent-context/admin/messages")) {
            send(ex, 200, "{\"items\":[" + message("msg_1", "quarterly-report", "thr_1") + "],\"nextCursor\":null}");
        } else if (method.equals("GET") && path.equals("/api/agent-context/admin/dead-letters")) {
            StringBuilder items = new StringBuilder();
            for (String id : DEAD) {
                items.append(items.isEmpty() ? "" : ",").append("{\"id\":\"").append(id)
                        .append("\",\"agentId\":\"agt_bob\",\"seq\":2,\"attempts\":5,\"deadAt\":\"2026-01-02T03:05:00Z\","
                                + "\"reason\":\"max-attempts\",\"message\":").append(message("msg_" + id, "undeliverable", "thr_1"))
                        .append('}');
            }
            send(ex, 200, "{\"items\":[" + items + "],\"nextCursor\":null}");
        } else if (method.equals("POST") && path.startsWith(prefix) && path.endsWith("/requeue")) {
            String id = path.substring(prefix.length(), path.length() - "/requeue".length());
            send(ex, DEAD.remove(id) ? 204 : 404, DEAD.contains(id) ? "" : notFound(id));
        } else if (method.equals("DELETE") && path.startsWith(prefix)) {
            String id = path.substring(prefix.length());
            send(ex, DEAD.remove(id) ? 204 : 404, notFound(id));
        } else if (method.equals("GET") && path.equals("/api/agent-context/threads/thr_1")) {
            send(ex, 200, "{\"threadId\":\"thr_1\",\"messages\":[" + message("msg_1", "quarterly-report", "thr_1") + ","
                    + message("msg_2", "re: quarterly-report", "thr_1") + "]}");
        } else {
            send(ex, 404, "{\"status\":404,\"title\":\"Not Found\",\"detail\":\"no such thing\"}");
        }
    }

    private static String notFound(String id) {
        return "{\"status\":404,\"title\":\"Not Found\",\"detail\":\"no dead letter " + id + "\"}";
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (status == 204) {
            ex.sendResponseHeaders(204, -1);
        } else {
            ex.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }
}
