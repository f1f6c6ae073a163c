package io.memroos.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A recording stand-in for governance-service, one per test JVM (the gateway tests do not start the real
 * one): {@code POST /internal/decisions} allows everything unless an action is listed in {@link #DENY},
 * answers {@link #failWith} instead when set, or does not listen at all while {@link #down()}; records every
 * decision request; {@code POST /internal/events} accepts the registry's outbox; {@code PUT /api/policies}
 * answers 200 (a policy change); everything else 404.
 */
final class FakeGovernance {

    static final List<String> DECISIONS = new CopyOnWriteArrayList<>();
    static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();
    static final List<String> EVENTS = new CopyOnWriteArrayList<>();
    static final List<String> POLICY_WRITES = new CopyOnWriteArrayList<>();
    static final Set<String> DENY = ConcurrentHashMap.newKeySet();
    static final AtomicInteger IDS = new AtomicInteger();
    static final AtomicLong POLICY_VERSION = new AtomicLong(1);
    static volatile int failWith;
    /** When set, {@code GET /api/audit/verify} reports this seq as the first bad event. */
    static volatile Long brokenAt;
    static final List<String> CONSOLE_REQUESTS = new CopyOnWriteArrayList<>();

    private static HttpServer server;
    private static int port;

    private FakeGovernance() {
    }

    /** Starts it once; its base URL. */
    static synchronized String url() {
        if (server == null) {
            start(0);
        }
        return "http://127.0.0.1:" + port;
    }

    static void reset() {
        DECISIONS.clear();
        AUTHORIZATIONS.clear();
        POLICY_WRITES.clear();
        DENY.clear();
        failWith = 0;
        brokenAt = null;
        CONSOLE_REQUESTS.clear();
    }

    /** Stops listening: connections are refused. */
    static synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Listens again on the same port. */
    static synchronized void up() {
        if (server == null) {
            start(port);
        }
    }

    private static void start(int on) {
        IOException last = null;
        for (int i = 0; i < 50 && server == null; i++) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", on), 50);
            } catch (IOException e) {
                last = e;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (server == null) {
            throw new UncheckedIOException("cannot start the fake governance on port " + on, last);
        }
        port = server.getAddress().getPort();
        server.createContext("/", FakeGovernance::handle);
        server.start();
    }

    private static void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (method.equals("POST") && path.equals("/internal/decisions")) {
            DECISIONS.add(body);
            AUTHORIZATIONS.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            if (failWith != 0) {
                send(ex, failWith, "{\"status\":" + failWith + ",\"title\":\"broken\"}");
                return;
            }
            String action = body.replaceAll(".*\"action\":\"([^\"]+)\".*", "$1");
            boolean deny = DENY.contains(action);
            send(ex, 200, "{\"decision\":\"" + (deny ? "deny" : "allow") + "\",\"policies\":[\""
                    + (deny ? "deny-" + action : "operator-all") + "\"],\"decisionId\":\"dec_" + IDS.incrementAndGet()
                    + "\",\"policyVersion\":" + POLICY_VERSION.get() + "}");
        } else if (method.equals("POST") && path.equals("/internal/events")) {
            EVENTS.add(body);
            send(ex, 200, "{\"accepted\":1,\"duplicates\":0}");
        } else if (method.equals("GET") && path.equals("/internal/policies/version")) {
            send(ex, 200, "{\"version\":" + POLICY_VERSION.get() + "}");
        } else if (path.startsWith("/api/")) {
            CONSOLE_REQUESTS.add(method + " " + path + (ex.getRequestURI().getRawQuery() == null ? ""
                    : "?" + ex.getRequestURI().getRawQuery()));
            console(ex, method, path, body);
        } else {
            send(ex, 404, "{\"status\":404,\"title\":\"Not Found\",\"detail\":\"no such thing in the fake\"}");
        }
    }

    /** Canned answers in governance's shapes for the console pages. */
    private static void console(HttpExchange ex, String method, String path, String body) throws IOException {
        String policySet = "{\"version\":" + POLICY_VERSION.get() + ",\"createdAt\":\"2026-11-24T04:00:00Z\","
                + "\"createdBy\":\"operator\",\"comment\":\"default\",\"policies\":["
                + "{\"id\":\"operator-all\",\"effect\":\"permit\",\"text\":\"permit(principal == Operator::\\\"operator\\\", action, resource);\"},"
                + "{\"id\":\"no-export\",\"effect\":\"forbid\",\"text\":\"forbid(principal, action == Action::\\\"evidence.export\\\", resource);\"}]}";
        if (method.equals("PUT") && path.startsWith("/api/policies")) {
            POLICY_WRITES.add(method + " " + path);
            if (body.contains("syntax error")) {
                send(ex, 400, "{\"status\":400,\"title\":\"Invalid request\",\"detail\":\"text: unexpected token 'syntax' at line 1\"}");
                return;
            }
            send(ex, 200, policySet.replaceFirst("\"version\":\\d+", "\"version\":" + POLICY_VERSION.incrementAndGet()));
        } else if (method.equals("POST") && path.equals("/api/policies/validate")) {
            send(ex, 200, body.contains("permit(") || body.contains("forbid(")
                    ? "{\"valid\":true,\"errors\":[]}"
                    : "{\"valid\":false,\"errors\":[{\"policy\":\"draft\",\"message\":\"unexpected end of input\",\"line\":1,\"column\":4}]}");
        } else if (method.equals("GET") && path.equals("/api/policies")) {
            send(ex, 200, policySet);
        } else if (method.equals("GET") && path.equals("/api/policies/versions")) {
            send(ex, 200, "{\"items\":[{\"version\":" + POLICY_VERSION.get() + ",\"createdAt\":\"2026-11-24T04:00:00Z\","
                    + "\"createdBy\":\"operator\",\"comment\":\"tightened exports\",\"policies\":[\"no-export\",\"operator-all\"]},"
                    + "{\"version\":0,\"createdAt\":\"2026-11-23T04:00:00Z\",\"createdBy\":\"system\",\"comment\":\"initial\","
                    + "\"policies\":[\"operator-all\"]}],\"nextCursor\":null}");
        } else if (method.equals("GET") && path.startsWith("/api/policies/versions/")) {
            send(ex, 200, policySet);
        } else if (method.equals("GET") && path.equals("/api/audit/status")) {
            send(ex, 200, "{\"headSeq\":42,\"headHash\":\"ab12cd34ef56ab12cd34ef56\",\"events\":42,"
                    + "\"lastCheckpoint\":{\"seq\":40,\"fromSeq\":1,\"hash\":\"ff\",\"merkleRoot\":\"ee\","
                    + "\"time\":\"2026-11-24T04:01:00Z\",\"keyId\":\"k1\",\"signature\":\"sig\"},"
                    + "\"lastVerify\":null,\"keyId\":\"k1\"}");
        } else if (method.equals("GET") && path.equals("/api/audit/verify")) {
            Long bad = brokenAt;
            send(ex, 200, bad == null
                    ? "{\"ok\":true,\"events\":42,\"checkpoints\":1,\"headSeq\":42,\"headHash\":\"ab\",\"verifiedAt\":\"2026-11-24T04:02:00Z\",\"millis\":3}"
                    : "{\"ok\":false,\"events\":42,\"checkpoints\":1,\"headSeq\":42,\"failure\":\"hash-mismatch\",\"seq\":" + bad
                            + ",\"eventId\":\"evt-" + bad + "\",\"reason\":\"the stored hash does not match the event\",\"millis\":3}");
        } else if (method.equals("GET") && path.equals("/api/audit")) {
            send(ex, 200, "{\"items\":[{\"seq\":1,\"id\":\"evt-1\",\"recordedAt\":\"2026-11-24T04:00:01Z\","
                    + "\"occurredAt\":\"2026-11-24T04:00:00Z\",\"source\":\"registry-service\",\"type\":\"agent.registered\","
                    + "\"actor\":\"operator\",\"action\":\"agent.register\",\"asset\":{\"type\":\"agent\",\"id\":\"agt_1\"},"
                    + "\"data\":{\"name\":\"<b>alpha</b>\"},\"prevHash\":\"00\",\"hash\":\"0123456789abcdef0123\"}],"
                    + "\"nextCursor\":\"1\"}");
        } else if (method.equals("GET") && path.equals("/api/tool-attention")) {
            send(ex, 200, "{\"items\":[{\"id\":\"rec-t1\",\"kind\":\"tool-attention\",\"agentId\":\"agt_1\",\"taskId\":\"task-9\","
                    + "\"at\":\"2026-11-24T04:00:00Z\",\"eventSeq\":3,\"record\":{\"tool\":\"web.search\",\"outcome\":\"ok\",\"durationMs\":120}}],\"nextCursor\":null}");
        } else if (method.equals("GET") && path.equals("/api/model-usage")) {
            send(ex, 200, "{\"items\":[{\"id\":\"rec-m1\",\"kind\":\"model-usage\",\"agentId\":\"agt_1\",\"taskId\":\"task-9\","
                    + "\"at\":\"2026-11-24T04:00:00Z\",\"eventSeq\":4,\"record\":{\"model\":\"small-1\",\"inputTokens\":100,\"outputTokens\":20,\"latencyMs\":80,\"cost\":0.002}}],\"nextCursor\":null}");
        } else if (method.equals("GET") && path.equals("/api/model-usage/aggregate")) {
            send(ex, 200, "{\"by\":[\"day\",\"agent\",\"model\"],\"items\":["
                    + "{\"group\":{\"day\":\"2026-11-24\",\"agent\":\"agt_1\",\"model\":\"small-1\"},\"count\":3,\"inputTokens\":300,\"outputTokens\":60,\"cost\":0.006,\"avgLatencyMs\":80,\"errors\":0},"
                    + "{\"group\":{\"day\":\"2026-11-24\",\"agent\":\"agt_2\",\"model\":\"large-2\"},\"count\":1,\"inputTokens\":1000,\"outputTokens\":800,\"cost\":0.05,\"avgLatencyMs\":900,\"errors\":0}]}");
        } else {
            send(ex, 404, "{\"status\":404,\"title\":\"Not Found\",\"detail\":\"no such thing in the fake\"}");
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }
}
