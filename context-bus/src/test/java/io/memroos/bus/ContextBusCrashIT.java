package io.memroos.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.bus.testing.FakeRegistry;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * At least once under a crash: the packaged bus runs as its own process while agents send and receive over
 * HTTP; it is killed with SIGKILL mid-flight and started again on the same data directory. Every send the bus
 * acknowledged must be delivered, and no message whose ack the bus acknowledged may be delivered again.
 */
class ContextBusCrashIT {

    private static volatile String lastSendError;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SENDERS = 4;
    private static final int RECEIVERS = 4;

    private Path data;
    private FakeRegistry registry;
    private PrivateKey key;
    private Process bus;
    private int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void setUp() throws Exception {
        data = Files.createTempDirectory(Path.of("target"), "crash-it-");
        Files.createDirectories(data.resolve("keys"));
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();
        key = pair.getPrivate();
        Files.writeString(data.resolve("keys/internal-jwt.key.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(data.resolve("keys/internal-jwt.pub.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        registry = new FakeRegistry(0).acceptAll("agt_");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        if (bus != null) {
            bus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        registry.close();
    }

    @Test
    void everyAcknowledgedSendIsDeliveredAndNoAcknowledgedDeliveryComesBack() throws Exception {
        start();
        Map<String, String> ackedSends = new ConcurrentHashMap<>();    // idempotency key -> message id
        Set<String> received = ConcurrentHashMap.newKeySet();           // message ids delivered at least once
        Map<String, Instant> ackedDeliveries = new ConcurrentHashMap<>(); // message id -> when its ack returned
        List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicBoolean receiving = new AtomicBoolean(true);
        AtomicInteger sendErrors = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();

        for (int s = 0; s < SENDERS; s++) {
            String sender = "agt_sender" + s;
            threads.add(thread(() -> {
                int n = 0;
                while (sending.get()) {
                    String idKey = sender + "-" + n;
                    String to = "agt_receiver" + (n % RECEIVERS);
                    try {
                        HttpResponse<String> r = call(sender, "POST", "/api/agent-context/messages",
                                Map.of("to", List.of(to), "body", idKey, "idempotencyKey", idKey));
                        if (r.statusCode() == 201 || r.statusCode() == 200) {
                            ackedSends.put(idKey, JSON.readTree(r.body()).get("id").asText());
                            n++;
                        } else {
                            sendErrors.incrementAndGet();
                            lastSendError = r.statusCode() + " " + r.body();
                            Thread.sleep(50);
                        }
                    } catch (Exception e) {
                        sendErrors.incrementAndGet();
                        lastSendError = String.valueOf(e);
                        sleep(100); // the bus is down: retry the same key
                    }
                }
            }));
        }
        for (int r = 0; r < RECEIVERS; r++) {
            String me = "agt_receiver" + r;
            threads.add(thread(() -> {
                while (receiving.get()) {
                    try {
                        HttpResponse<String> resp = call(me, "GET", "/api/agent-context/inbox?wait=1&max=20", null);
                        if (resp.statusCode() != 200) {
                            sleep(50);
                            continue;
                        }
                        List<Map<String, String>> acks = new ArrayList<>();
                        for (JsonNode item : JSON.readTree(resp.body()).get("items")) {
                            String id = item.get("message").get("id").asText();
                            Instant ackedAt = ackedDeliveries.get(id);
                            if (ackedAt != null) {
                                violations.add(id + " delivered again after its ack returned at " + ackedAt);
                            }
                            received.add(id);
                            acks.add(Map.of("messageId", id, "receipt", item.get("receipt").asText()));
                        }
                        if (acks.isEmpty()) {
                            continue;
                        }
                        HttpResponse<String> a = call(me, "POST", "/api/agent-context/inbox/ack", Map.of("acks", acks));
                        if (a.statusCode() == 200) {
                            for (JsonNode res : JSON.readTree(a.body()).get("results")) {
                                String status = res.get("status").asText();
                                if (status.equals("acked") || status.equals("already-acked")) {
                                    ackedDeliveries.putIfAbsent(res.get("messageId").asText(), Instant.now());
                                }
                            }
                        }
                    } catch (Exception e) {
                        sleep(100);
                    }
                }
            }));
        }
        threads.forEach(Thread::start);

        Thread.sleep(4000);
        int beforeCrash = ackedSends.size();
        assertTrue(beforeCrash > 10, "traffic flowed before the crash: " + beforeCrash + " (send errors: "
                + sendErrors.get() + ", last: " + lastSendError + ")");
        bus.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        assertTrue(bus.waitFor(10, TimeUnit.SECONDS));
        Thread.sleep(500);
        start();
        Thread.sleep(3000);
        sending.set(false);
        int sent = ackedSends.size();
        assertTrue(sent > beforeCrash, "traffic flowed after the restart");

        // drain: in-flight messages lost with the crash come back after the visibility timeout (3 s here)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !received.containsAll(ackedSends.values())) {
            Thread.sleep(200);
        }
        Thread.sleep(4000); // one more visibility timeout: nothing acknowledged may come back
        receiving.set(false);
        for (Thread t : threads) {
            t.join(5000);
        }

        Set<String> missing = new HashSet<>(ackedSends.values());
        missing.removeAll(received);
        assertEquals(Set.of(), missing, "acknowledged sends that were never delivered");
        assertEquals(List.of(), violations, "acknowledged deliveries delivered again");
        assertEquals(ackedSends.size(), new HashSet<>(ackedSends.values()).size(), "one message per idempotency key");
        System.out.printf("crash IT: %d sends acknowledged (%d before the kill), %d delivered, %d send errors%n",
                ackedSends.size(), beforeCrash, received.size(), sendErrors.get());
    }

    private void start() throws Exception {
        String jar = System.getProperty("memroos.bus.jar", "target/quarkus-app/quarkus-run.jar");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-Dmemroos.bus.delivery.visibility-timeout=3s", "-jar", jar);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("MEMROOS_DATA", data.toAbsolutePath().toString());
        pb.environment().put("MEMROOS_REGISTRY_URL", registry.url());
        pb.environment().put("MEMROOS_GOVERNANCE_URL", "http://127.0.0.1:9"); // never a governance running here
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(new File(data.toFile(), "bus.log")));
        bus = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/q/health/ready")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (Exception notYet) {
                // starting
            }
            if (!bus.isAlive()) {
                throw new IllegalStateException("the bus exited; see " + data.resolve("bus.log"));
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the bus did not become ready; see " + data.resolve("bus.log"));
    }

    private HttpResponse<String> call(String agent, String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token(agent)).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    private String token(String agent) {
        return tokens.computeIfAbsent(agent, a -> Jwt.issuer("memroos-gateway").audience("memroos-internal")
                .subject("agent:" + a).groups("agent").claim("agent_id", a).expiresIn(600)
                .jws().algorithm(SignatureAlgorithm.RS256).sign(key));
    }

    private static Thread thread(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
