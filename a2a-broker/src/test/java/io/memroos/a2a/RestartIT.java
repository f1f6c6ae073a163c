package io.memroos.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A streamed task survives a broker crash: the real broker jar ({@code target/quarkus-app/quarkus-run.jar}) runs as
 * its own process on a temp data dir, with a fake registry and a small A2A 1.0 agent (both JDK HttpServers). The
 * client streams a long task, the broker is killed with SIGKILL mid-stream and started again on the same data dir and
 * port, the client resubscribes with its last event id, and sees every event exactly once, in order, to completion.
 * The audit trail survives too: a recording governance gets the task's state changes as an unbroken chain.
 */
class RestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AGENT_ID = "agt_restart_it";
    private static final int STEPS = 16;
    private static final long STEP_MS = 250;

    private final List<HttpServer> servers = new ArrayList<>();
    private Process broker;
    private final GovernanceReceiver governance = GovernanceReceiver.start();
    private Path data;
    private int port;
    private PrivateKey key;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.destroyForcibly();
        }
        servers.forEach(s -> s.stop(0));
        governance.close();
    }

    @Test
    void resubscribeAfterKill9SeesEveryEventOnceInOrder() throws Exception {
        data = Files.createTempDirectory("a2a-restart-it");
        Files.createDirectories(data.resolve("keys"));
        Files.writeString(data.resolve("keys/internal-jwt.key.pem"), resource("test-keys/private.pem"));
        Files.writeString(data.resolve("keys/internal-jwt.pub.pem"), resource("test-keys/public.pem"));
        key = KeyUtils.decodePrivateKey(resource("test-keys/private.pem"));

        SlowAgent agent = new SlowAgent(start());
        String registryUrl = fakeRegistry(agent.url);
        port = freePort();
        startBroker(registryUrl, 1);

        // 1. stream the long task; read a few events; kill -9 the broker
        BlockingQueue<Sse> first = stream("/a2a/agents/" + AGENT_ID, rpc("SendStreamingMessage",
                JSON.createObjectNode().set("message", userMessage("count to " + STEPS))), null);
        List<Sse> seen = new ArrayList<>();
        while (seen.size() < 5) {
            Sse e = first.poll(30, TimeUnit.SECONDS);
            assertNotNull(e, "events before the crash; got " + seen.size());
            assertTrue(e.id > 0, "an event, not the end of the stream: " + seen);
            seen.add(e);
        }
        broker.destroyForcibly().waitFor(20, TimeUnit.SECONDS); // SIGKILL on Unix
        // whatever was already on the wire before the kill still counts as seen
        for (Sse e; (e = first.poll(5, TimeUnit.SECONDS)) != null && e.id > 0; ) {
            seen.add(e);
        }
        String taskId = seen.get(0).result.path("task").path("id").asText();
        long lastId = seen.get(seen.size() - 1).id;
        assertTrue(agent.produced() < STEPS, "the crash happened mid-task (agent at step " + agent.produced() + ")");
        Thread.sleep(1000); // the agent goes on while the broker is down

        // 2. restart on the same data dir and port; resubscribe from the last event id
        startBroker(registryUrl, 2);
        BlockingQueue<Sse> second = stream("/a2a/agents/" + AGENT_ID, rpc("SubscribeToTask",
                JSON.createObjectNode().put("id", taskId)), String.valueOf(lastId));
        for (;;) {
            Sse e = second.poll(60, TimeUnit.SECONDS);
            assertNotNull(e, "the resumed stream went quiet; seen " + ids(seen));
            if (e.id < 0) {
                break;
            }
            seen.add(e);
        }

        // 3. every event once, in order, ending completed
        List<Long> ids = ids(seen);
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(i + 1, ids.get(i), "ids 1..N without gap or repeat: " + ids);
        }
        assertTrue(seen.get(0).result.has("task"), "the stream starts with the task");
        JsonNode last = seen.get(seen.size() - 1).result;
        assertEquals("TASK_STATE_COMPLETED", last.path("statusUpdate").path("status").path("state").asText(), last.toString());
        StringBuilder chunks = new StringBuilder();
        int lastStep = 0;
        for (Sse e : seen) {
            for (JsonNode p : e.result.path("artifactUpdate").path("artifact").path("parts")) {
                chunks.append(p.path("text").asText());
            }
            String msg = e.result.path("statusUpdate").path("status").path("message").path("parts").path(0)
                    .path("text").asText("");
            if (msg.startsWith("step ")) {
                int step = Integer.parseInt(msg.substring(5));
                assertTrue(step > lastStep, "status steps strictly increase: " + step + " after " + lastStep);
                lastStep = step;
            }
        }
        StringBuilder want = new StringBuilder();
        for (int i = 1; i <= STEPS; i++) {
            want.append("chunk-").append(i).append(';');
        }
        assertEquals(want.toString(), chunks.toString(), "every artifact chunk exactly once, in order");

        // the stored task agrees
        JsonNode task = call("/a2a/agents/" + AGENT_ID, rpc("GetTask", JSON.createObjectNode().put("id", taskId)))
                .path("result");
        assertEquals("TASK_STATE_COMPLETED", task.path("status").path("state").asText());
        StringBuilder stored = new StringBuilder();
        task.path("artifacts").path(0).path("parts").forEach(p -> stored.append(p.path("text").asText()));
        assertEquals(want.toString(), stored.toString());

        // 4. the audit trail through the crash: created, then state changes chained from SUBMITTED to COMPLETED
        List<JsonNode> audit = governance.await(all -> {
            List<JsonNode> mine = governance.about(taskId);
            return !mine.isEmpty() && "TASK_STATE_COMPLETED".equals(
                    mine.get(mine.size() - 1).path("data").path("to").asText());
        }, Duration.ofSeconds(30)).stream().filter(e -> taskId.equals(e.path("asset").path("id").asText())).toList();
        assertEquals("a2a.task.create", audit.get(0).path("action").asText(), audit.toString());
        String state = "TASK_STATE_SUBMITTED";
        for (JsonNode e : audit.subList(1, audit.size())) {
            assertEquals("a2a.task.state", e.path("action").asText(), audit.toString());
            assertEquals(state, e.path("data").path("from").asText(), "no state change lost: " + audit);
            state = e.path("data").path("to").asText();
        }
        assertEquals("TASK_STATE_COMPLETED", state);
    }

    // ---- the broker process --------------------------------------------------------------------------------

    private void startBroker(String registryUrl, int n) throws Exception {
        String jar = System.getProperty("memroos.broker.jar", "target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.isRegularFile(Path.of(jar)), "the broker jar is built: " + jar);
        Path log = Path.of("target", "restart-it-broker-" + n + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("MEMROOS_DATA", data.toString());
        env.put("MEMROOS_REGISTRY_URL", registryUrl);
        env.put("MEMROOS_GOVERNANCE_URL", governance.url());
        env.put("MEMROOS_PUBLIC_URL", "http://127.0.0.1:" + port);
        broker = pb.start();
        long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < end) {
            if (!broker.isAlive()) {
                fail("the broker exited during start; see " + log.toAbsolutePath());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        fail("the broker was not ready in 120 s; see " + log.toAbsolutePath());
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private String token() {
        return Jwt.issuer("memroos-gateway").audience("memroos-internal").subject("operator").groups("operator")
                .issuedAt(Instant.now()).expiresIn(60).sign(key);
    }

    /** One SSE event ({@code id} -1 marks the end of the stream). */
    private record Sse(long id, JsonNode result) {
    }

    private static List<Long> ids(List<Sse> events) {
        return events.stream().map(Sse::id).toList();
    }

    private BlockingQueue<Sse> stream(String path, ObjectNode body, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + token()).header("Content-Type", "application/json")
                .header("Accept", "text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> r = http.send(b.build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        BlockingQueue<Sse> q = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            long id = 0;
            try (Stream<String> lines = r.body()) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.startsWith("id:")) {
                        id = Long.parseLong(line.substring(3).trim());
                    } else if (line.startsWith("data:")) {
                        JsonNode d = JSON.readTree(line.substring(5).trim());
                        if (d.has("error")) {
                            throw new IllegalStateException("stream error " + d);
                        }
                        q.add(new Sse(id, d.path("result")));
                    }
                }
            } catch (Exception e) {
                // the connection died with the broker
            } finally {
                q.add(new Sse(-1, null));
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        return q;
    }

    private JsonNode call(String path, ObjectNode body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private static ObjectNode rpc(String method, JsonNode params) {
        ObjectNode o = JSON.createObjectNode();
        o.put("jsonrpc", "2.0");
        o.put("id", 1);
        o.put("method", method);
        o.set("params", params);
        return o;
    }

    private static ObjectNode userMessage(String text) {
        ObjectNode m = JSON.createObjectNode();
        m.put("messageId", UUID.randomUUID().toString());
        m.put("role", "ROLE_USER");
        m.putArray("parts").addObject().put("text", text);
        return m;
    }

    // ---- peers ---------------------------------------------------------------------------------------------

    private HttpServer start() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.setExecutor(Executors.newCachedThreadPool());
        servers.add(s);
        s.start();
        return s;
    }

    private String fakeRegistry(String agentUrl) throws IOException {
        HttpServer s = start();
        ObjectNode agent = JSON.createObjectNode();
        agent.put("id", AGENT_ID).put("name", "restart-it-agent").put("description", "counts slowly")
                .put("owner", "it").put("status", "active").put("liveness", "online").put("source", "registered");
        agent.putArray("capabilities").add("a2a");
        agent.putArray("skills");
        agent.putObject("endpoint").put("kind", "a2a").put("url", agentUrl);
        s.createContext("/internal/agents", ex -> {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/internal/agents/" + AGENT_ID)) {
                reply(ex, 200, agent.toString());
            } else if (path.equals("/internal/agents") || path.equals("/internal/agents/")) {
                ObjectNode page = JSON.createObjectNode();
                page.putArray("items").add(agent);
                page.putNull("nextCursor");
                reply(ex, 200, page.toString());
            } else {
                reply(ex, 404, "{\"status\":404}");
            }
        });
        return "http://127.0.0.1:" + s.getAddress().getPort();
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String resource(String name) throws IOException {
        try (var in = RestartIT.class.getClassLoader().getResourceAsStream(name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * A tiny A2A 1.0 JSON-RPC agent with one long task: STEPS x (working "step i", artifact chunk appended) every
     * STEP_MS, then completed; produced by its own thread whether or not anyone listens. SendStreamingMessage streams
     * every event from the start; SubscribeToTask the task as it is now, then every later event.
     */
    private final class SlowAgent {
        final String url;
        final String remoteId = "remote-" + UUID.randomUUID();
        final List<ObjectNode> events = new ArrayList<>();
        ObjectNode task;
        boolean done;

        SlowAgent(HttpServer s) {
            url = "http://127.0.0.1:" + s.getAddress().getPort() + "/rpc";
            s.createContext("/rpc/.well-known/agent-card.json", ex -> {
                ObjectNode card = JSON.createObjectNode();
                card.put("name", "restart-it-agent").put("description", "counts slowly").put("version", "1");
                card.putArray("supportedInterfaces").addObject().put("url", url).put("protocolBinding", "JSONRPC")
                        .put("protocolVersion", "1.0");
                card.putObject("capabilities").put("streaming", true);
                card.putArray("defaultInputModes").add("text/plain");
                card.putArray("defaultOutputModes").add("text/plain");
                card.putArray("skills");
                reply(ex, 200, card.toString());
            });
            s.createContext("/rpc", this::rpcCall);
        }

        synchronized int produced() {
            return (int) events.stream().filter(e -> e.has("artifactUpdate")).count();
        }

        private void rpcCall(HttpExchange ex) throws IOException {
            JsonNode req = JSON.readTree(ex.getRequestBody());
            String method = req.path("method").asText();
            int from;
            ObjectNode head = null;
            synchronized (this) {
                switch (method) {
                    case "SendStreamingMessage" -> {
                        if (task == null) {
                            begin(req.path("params").path("message"));
                        }
                        from = 0;
                    }
                    case "SubscribeToTask" -> {
                        if (task == null || !remoteId.equals(req.path("params").path("id").asText())) {
                            reply(ex, 200, error(req, -32001, "task not found"));
                            return;
                        }
                        head = JSON.createObjectNode();
                        head.set("task", task.deepCopy());
                        from = events.size();
                        if (done) {
                            from = Integer.MAX_VALUE;
                        }
                    }
                    case "GetTask" -> {
                        reply(ex, 200, result(req, task.deepCopy()).toString());
                        return;
                    }
                    default -> {
                        reply(ex, 200, error(req, -32601, "method not found"));
                        return;
                    }
                }
            }
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                if (head != null) {
                    write(out, req, head);
                }
                for (int i = from; ; i++) {
                    ObjectNode e;
                    synchronized (this) {
                        while (i >= events.size() && !done) {
                            wait(1000);
                        }
                        if (i >= events.size()) {
                            return;
                        }
                        e = events.get(i);
                    }
                    write(out, req, e);
                }
            } catch (IOException | InterruptedException e) {
                // the broker went away
            }
        }

        private void write(OutputStream out, JsonNode req, ObjectNode ev) throws IOException {
            out.write(("data: " + result(req, ev) + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        private ObjectNode result(JsonNode req, JsonNode r) {
            ObjectNode o = JSON.createObjectNode();
            o.put("jsonrpc", "2.0");
            o.set("id", req.get("id"));
            o.set("result", r);
            return o;
        }

        private String error(JsonNode req, int code, String message) {
            ObjectNode o = JSON.createObjectNode();
            o.put("jsonrpc", "2.0");
            o.set("id", req.get("id"));
            o.putObject("error").put("code", code).put("message", message);
            return o.toString();
        }

        /** Called with the lock held. */
        private void begin(JsonNode message) {
            String ctx = UUID.randomUUID().toString();
            task = JSON.createObjectNode();
            task.put("id", remoteId).put("contextId", ctx);
            task.putObject("status").put("state", "TASK_STATE_WORKING").put("timestamp", Instant.now().toString());
            task.putArray("artifacts");
            task.putArray("history").add(message);
            ObjectNode first = JSON.createObjectNode();
            first.set("task", task.deepCopy());
            events.add(first);
            Thread t = new Thread(() -> {
                try {
                    for (int i = 1; i <= STEPS; i++) {
                        Thread.sleep(STEP_MS);
                        synchronized (this) {
                            ObjectNode status = JSON.createObjectNode();
                            status.put("state", "TASK_STATE_WORKING").put("timestamp", Instant.now().toString());
                            ObjectNode m = status.putObject("message");
                            m.put("messageId", UUID.randomUUID().toString()).put("role", "ROLE_AGENT")
                                    .put("taskId", remoteId).put("contextId", ctx);
                            m.putArray("parts").addObject().put("text", "step " + i);
                            task.set("status", status);
                            ObjectNode su = JSON.createObjectNode();
                            su.putObject("statusUpdate").put("taskId", remoteId).put("contextId", ctx)
                                    .set("status", status.deepCopy());
                            events.add(su);

                            ObjectNode part = JSON.createObjectNode().put("text", "chunk-" + i + ";");
                            ArrayNode arts = (ArrayNode) task.get("artifacts");
                            if (arts.isEmpty()) {
                                arts.addObject().put("artifactId", "out").put("name", "out").putArray("parts");
                            }
                            ((ArrayNode) arts.get(0).get("parts")).add(part.deepCopy());
                            ObjectNode au = JSON.createObjectNode();
                            ObjectNode a = au.putObject("artifactUpdate").put("taskId", remoteId).put("contextId", ctx)
                                    .put("append", i > 1).put("lastChunk", i == STEPS);
                            ObjectNode art = a.putObject("artifact").put("artifactId", "out").put("name", "out");
                            art.putArray("parts").add(part);
                            events.add(au);
                            notifyAll();
                        }
                    }
                    synchronized (this) {
                        ObjectNode status = JSON.createObjectNode();
                        status.put("state", "TASK_STATE_COMPLETED").put("timestamp", Instant.now().toString());
                        task.set("status", status);
                        ObjectNode su = JSON.createObjectNode();
                        su.putObject("statusUpdate").put("taskId", remoteId).put("contextId", ctx)
                                .set("status", status.deepCopy());
                        events.add(su);
                        done = true;
                        notifyAll();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "slow-agent");
            t.setDaemon(true);
            t.start();
        }
    }
}
