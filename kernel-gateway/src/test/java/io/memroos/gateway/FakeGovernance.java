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
        } else if ((method.equals("PUT") || method.equals("POST")) && path.startsWith("/api/policies")) {
            POLICY_WRITES.add(method + " " + path);
            send(ex, 200, "{\"version\":" + POLICY_VERSION.get() + ",\"policies\":[]}");
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
