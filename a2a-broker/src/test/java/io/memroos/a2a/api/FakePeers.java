package io.memroos.a2a.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.memroos.a2a.GovernanceReceiver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * The broker's peers in one JDK HttpServer on loopback: a fake registry ({@code /internal/agents}), a tiny A2A 1.0
 * agent ({@code /a2a-agent}: SendMessage answers a completed task, SendStreamingMessage streams four events), a
 * REST agent ({@code /rest-agent}, answers 202) and a webhook receiver ({@code /hook}); and a recording governance
 * ({@link GovernanceReceiver}, its own server) that the broker's outbox relay sends audit events to.
 */
public class FakePeers implements QuarkusTestResourceLifecycleManager {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> HOOKS = new CopyOnWriteArrayList<>();
    static final List<Map<String, String>> HOOK_HEADERS = new CopyOnWriteArrayList<>();
    static int port;
    static GovernanceReceiver governance;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        port = server.getAddress().getPort();
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/internal/agents", this::registry);
        server.createContext("/a2a-agent", this::agent);
        server.createContext("/rest-agent", ex -> reply(ex, 202, ""));
        server.createContext("/hook", ex -> {
            HOOKS.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            HOOK_HEADERS.add(Map.of("sig", String.valueOf(ex.getRequestHeaders().getFirst("X-MemRoOS-Signature")),
                    "ts", String.valueOf(ex.getRequestHeaders().getFirst("X-MemRoOS-Timestamp")),
                    "token", String.valueOf(ex.getRequestHeaders().getFirst("X-A2A-Notification-Token"))));
            reply(ex, 200, "");
        });
        server.start();
        governance = GovernanceReceiver.start();
        return Map.of("memroos.a2a.registry.url", "http://127.0.0.1:" + port,
                "memroos.a2a.public-url", "http://127.0.0.1:8080",
                "memroos.a2a.governance.url", governance.url());
    }

    @Override
    public void stop() {
        server.stop(0);
        governance.close();
    }

    static String agentJson(String id, String kind, String url) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"description\":\"test agent\",\"owner\":\"t\","
                + "\"capabilities\":[\"echo\"],\"skills\":[{\"id\":\"echo-" + id + "\",\"name\":\"Echo\","
                + "\"description\":\"echoes\",\"tags\":[\"echo\"]}],\"endpoint\":{\"kind\":\"" + kind + "\",\"url\":\""
                + url + "\"},\"status\":\"active\",\"liveness\":\"online\",\"source\":\"registered\",\"cardUrl\":null}";
    }

    private void registry(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            reply(ex, 401, "{}");
            return;
        }
        String path = ex.getRequestURI().getPath();
        String base = "http://127.0.0.1:" + port;
        Map<String, String> agents = Map.of(
                "agt_a2a", agentJson("agt_a2a", "a2a", base + "/a2a-agent"),
                "agt_rest", agentJson("agt_rest", "rest", base + "/rest-agent"),
                "agt_caller", agentJson("agt_caller", "rest", base + "/rest-agent"),
                "agt_other", agentJson("agt_other", "rest", base + "/rest-agent"),
                "agt_offline", agentJson("agt_offline", "a2a", "http://127.0.0.1:1/nowhere"));
        if (path.equals("/internal/agents")) {
            reply(ex, 200, "{\"items\":[" + String.join(",", agents.values()) + "],\"nextCursor\":null}");
            return;
        }
        String id = path.substring("/internal/agents/".length());
        String a = agents.get(id);
        reply(ex, a == null ? 404 : 200, a == null ? "{}" : a);
    }

    private void agent(HttpExchange ex) throws IOException {
        if (ex.getRequestMethod().equals("GET")) {
            reply(ex, 404, "{}");
            return;
        }
        JsonNode req = JSON.readTree(ex.getRequestBody());
        String method = req.path("method").asText();
        JsonNode msg = req.path("params").path("message");
        String text = msg.path("parts").path(0).path("text").asText();
        String ctx = msg.path("contextId").asText("ctx-remote");
        String remoteId = msg.hasNonNull("taskId") ? msg.get("taskId").asText() : "remote-" + System.nanoTime();
        ObjectNode artifact = JSON.createObjectNode();
        artifact.put("artifactId", "a1");
        artifact.putArray("parts").addObject().put("text", "echo: " + text);
        if (method.equals("SendMessage") && text.equals("refuse")) {
            reply(ex, 200, "{\"jsonrpc\":\"2.0\",\"id\":" + req.get("id")
                    + ",\"error\":{\"code\":-32603,\"message\":\"agent broke\"}}");
            return;
        }
        if (method.equals("SendMessage") && text.equals("nonsense")) {
            reply(ex, 200, "{\"jsonrpc\":\"2.0\",\"id\":" + req.get("id") + ",\"result\":{\"weird\":{}}}");
            return;
        }
        if (method.equals("SendMessage")) {
            ObjectNode task = JSON.createObjectNode();
            task.put("id", remoteId);
            task.put("contextId", ctx);
            task.putObject("status").put("state", text.equals("ask") ? "TASK_STATE_INPUT_REQUIRED"
                    : "TASK_STATE_COMPLETED");
            task.putArray("artifacts").add(artifact);
            ObjectNode res = JSON.createObjectNode();
            res.put("jsonrpc", "2.0");
            res.set("id", req.get("id"));
            res.putObject("result").set("task", task);
            reply(ex, 200, JSON.writeValueAsString(res));
            return;
        }
        if (method.equals("SendStreamingMessage")) {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                String[] events = {
                    "{\"task\":{\"id\":\"" + remoteId + "\",\"contextId\":\"" + ctx
                            + "\",\"status\":{\"state\":\"TASK_STATE_SUBMITTED\"}}}",
                    "{\"statusUpdate\":{\"taskId\":\"" + remoteId + "\",\"contextId\":\"" + ctx
                            + "\",\"status\":{\"state\":\"TASK_STATE_WORKING\"}}}",
                    "{\"artifactUpdate\":{\"taskId\":\"" + remoteId + "\",\"contextId\":\"" + ctx + "\",\"artifact\":"
                            + JSON.writeValueAsString(artifact) + ",\"lastChunk\":true}}",
                    "{\"statusUpdate\":{\"taskId\":\"" + remoteId + "\",\"contextId\":\"" + ctx
                            + "\",\"status\":{\"state\":\"TASK_STATE_COMPLETED\"}}}"};
                for (String e : events) {
                    out.write(("data: {\"jsonrpc\":\"2.0\",\"id\":" + req.get("id") + ",\"result\":" + e + "}\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    sleep(50);
                }
            }
            return;
        }
        reply(ex, 200, "{\"jsonrpc\":\"2.0\",\"id\":" + req.get("id")
                + ",\"error\":{\"code\":-32004,\"message\":\"not supported\"}}");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
        ex.close();
    }
}
