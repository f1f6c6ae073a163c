// bench/governance/Bench.java: the governance service's benchmark (run by bench/governance/run).
//
// In process (the service's own classes on the class path, a real SQLite file):
//   - audit appends/s through AuditLog (group commit): single events from 1 and 8 threads, batches of 500;
//   - decision latency p50/p99 (PolicyService.decide), cached (same request) and uncached (a new asset each time);
//   - verify time for 100k events (ChainVerifier over the store).
// Over HTTP against the packaged service (started here on a temporary data directory with its own JWT keys):
//   - POST /internal/events with a service token: 1 event per call (8 connections) and 500 per call (4);
//   - POST /internal/decisions p50/p99 cached and uncached (1 connection);
//   - GET /api/audit/verify over everything the run appended.
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.governance.domain.AuditEvent;
import io.memroos.governance.domain.AuditLog;
import io.memroos.governance.domain.Caller;
import io.memroos.governance.domain.ChainVerifier;
import io.memroos.governance.domain.DecisionRequest;
import io.memroos.governance.domain.Labels;
import io.memroos.governance.domain.PolicyService;
import io.memroos.governance.domain.Signer;
import io.memroos.governance.store.SqliteGovernanceStore;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

public class Bench {

    static double seconds = 5;
    static int verifyEvents = 100_000;

    public static void main(String[] args) throws Exception {
        String jar = null;
        int port = 28187;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = args[++i];
                case "--duration" -> seconds = Double.parseDouble(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--verify-events" -> verifyEvents = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path work = Files.createTempDirectory("gov-bench");
        System.out.printf("governance bench: %d cores, load average %.2f, %.0f s per measurement%n",
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), seconds);
        inProcess(work.resolve("inproc"));
        if (jar != null) {
            overHttp(jar, work.resolve("http"), port);
        }
    }

    // ---- in process ------------------------------------------------------------------------------

    static void inProcess(Path dir) throws Exception {
        Files.createDirectories(dir);
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(5000);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + dir.resolve("governance.db"));
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/sqlite").load().migrate();
        SqliteGovernanceStore store = new SqliteGovernanceStore(ds, new ObjectMapper(), 256);
        Signer signer = Signer.openOrCreate(dir.resolve("keys"));
        AuditLog log = new AuditLog(store, signer, Clock.systemUTC(), 2000, 1000);
        System.out.println();
        System.out.println("== in process (AuditLog -> SQLite file, group commit) ==");
        double single1 = rate(1, () -> log.append(List.of(draft())).appended().size());
        report("audit appends/s, 1 event per append, 1 thread", single1, 5000);
        double single8 = rate(8, () -> log.append(List.of(draft())).appended().size());
        report("audit appends/s, 1 event per append, 8 threads", single8, 5000);
        double batched = rate(2, () -> log.append(drafts(500)).appended().size());
        report("audit appends/s, 500 events per append, 2 threads", batched, 5000);

        Labels labels = new Labels(List.of("public", "internal", "confidential", "restricted"), store, log, Clock.systemUTC());
        PolicyService policies = new PolicyService(store, labels, log, Clock.systemUTC(), dir.resolve("policies"));
        policies.start();
        Caller gateway = Caller.service("kernel-gateway");
        DecisionRequest same = new DecisionRequest("agent", "a1", "key.rotate", "agent", "a1", null, null, null, Map.of());
        long[] cached = latencies(20_000, i -> policies.decide(same, gateway));
        long[] uncached = latencies(20_000, i -> policies.decide(new DecisionRequest("agent", "a1",
                "memory.read.cross-scope", "memory-scope", "s" + i + "-" + UUID.randomUUID(), "a1", null, null,
                Map.of()), gateway));
        System.out.printf("  %-58s p50 %7.1f us  p99 %7.1f us   (target p99 < 1000 us)%n", "decision, cached",
                pct(cached, 50) / 1e3, pct(cached, 99) / 1e3);
        System.out.printf("  %-58s p50 %7.1f us  p99 %7.1f us   (includes a label lookup in the store)%n",
                "decision, uncached", pct(uncached, 50) / 1e3, pct(uncached, 99) / 1e3);

        long have = store.count();
        while (have < verifyEvents) {
            int n = (int) Math.min(2000, verifyEvents - have);
            have += log.append(drafts(n)).appended().size();
        }
        log.checkpoint();
        ChainVerifier verifier = new ChainVerifier(store, signer, Clock.systemUTC());
        verifier.verify(); // warm
        long t0 = System.nanoTime();
        ChainVerifier.Result r = verifier.verify();
        double ms = (System.nanoTime() - t0) / 1e6;
        if (!r.ok()) {
            throw new IllegalStateException("verify failed: " + r.reason());
        }
        System.out.printf("  %-58s %7.0f ms for %d events -> %.0f ms per 100k   (target < 2000 ms)%n",
                "verify (chain + checkpoints)", ms, r.events(), ms * 100_000 / r.events());
        log.close();
        store.close();
    }

    static AuditEvent event(String id) {
        return new AuditEvent(0, id, null, "2026-11-24T04:00:00.000Z", "bench", "agent.registered", "operator",
                "agent.register", "agent", "a1", null, "internal", "{\"name\":\"bench\",\"n\":1}", null, null, "a1", null);
    }

    static AuditLog.Draft draft() {
        return new AuditLog.Draft(event(UUID.randomUUID().toString()), null);
    }

    static List<AuditLog.Draft> drafts(int n) {
        List<AuditLog.Draft> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(draft());
        }
        return out;
    }

    interface Work {
        int run() throws Exception;
    }

    interface Indexed {
        void run(int i) throws Exception;
    }

    /** Events per second of {@code threads} loops of {@code work} for the duration (after a 1 s warm-up). */
    static double rate(int threads, Work work) throws Exception {
        for (long end = System.nanoTime() + 1_000_000_000L; System.nanoTime() < end; ) {
            work.run();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong count = new AtomicLong();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    count.addAndGet(work.run());
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        return count.get() / ((System.nanoTime() - start) / 1e9);
    }

    static long[] latencies(int n, Indexed work) throws Exception {
        for (int i = 0; i < Math.min(n, 5000); i++) {
            work.run(-i - 1);
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            work.run(i);
            out[i] = System.nanoTime() - t;
        }
        Arrays.sort(out);
        return out;
    }

    static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }

    static void report(String what, double value, double target) {
        System.out.printf("  %-58s %9.0f events/s   (target >= %.0f: %s)%n", what, value, target,
                value >= target ? "met" : "NOT met");
    }

    // ---- over HTTP -----------------------------------------------------------------------------------

    static void overHttp(String jar, Path data, int port) throws Exception {
        Files.createDirectories(data.resolve("keys"));
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        Files.writeString(data.resolve("keys/internal-jwt.pub.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(rsa.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar).redirectErrorStream(true).redirectOutput(data.resolve("service.log").toFile());
        pb.environment().put("MEMROOS_DATA", data.toString());
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        Process service = pb.start();
        try {
            String base = "http://127.0.0.1:" + port;
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            long deadline = System.currentTimeMillis() + 120_000;
            while (true) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        break;
                    }
                } catch (java.io.IOException ignored) {
                    // not up yet
                }
                if (System.currentTimeMillis() > deadline || !service.isAlive()) {
                    throw new IllegalStateException("the service did not start; see " + data.resolve("service.log"));
                }
                Thread.sleep(200);
            }
            String serviceToken = jwt(rsa.getPrivate(), "service:registry-service", "service", null);
            String operatorToken = jwt(rsa.getPrivate(), "operator", "operator", null);
            System.out.println();
            System.out.println("== over HTTP (packaged service, POST /internal/events with a service token) ==");
            double single = rate(8, () -> post(http, base + "/internal/events", serviceToken, batchJson(1)));
            report("audit appends/s, 1 event per call, 8 connections", single, 5000);
            double batched = rate(4, () -> post(http, base + "/internal/events", serviceToken, batchJson(500)));
            report("audit appends/s, 500 events per call, 4 connections", batched, 5000);
            String same = "{\"actor\":{\"type\":\"agent\",\"id\":\"a1\"},\"action\":\"key.rotate\","
                    + "\"asset\":{\"type\":\"agent\",\"id\":\"a1\"}}";
            long[] cached = latencies(5000, i -> post(http, base + "/internal/decisions", serviceToken, same));
            long[] uncached = latencies(5000, i -> post(http, base + "/internal/decisions", serviceToken,
                    "{\"actor\":{\"type\":\"agent\",\"id\":\"a1\"},\"action\":\"memory.read.cross-scope\",\"asset\":"
                            + "{\"type\":\"memory-scope\",\"id\":\"s" + UUID.randomUUID() + "\",\"owner\":\"a1\"}}"));
            System.out.printf("  %-58s p50 %7.1f us  p99 %7.1f us   (round trip, 1 connection)%n",
                    "POST /internal/decisions, cached", pct(cached, 50) / 1e3, pct(cached, 99) / 1e3);
            System.out.printf("  %-58s p50 %7.1f us  p99 %7.1f us   (round trip, 1 connection)%n",
                    "POST /internal/decisions, uncached", pct(uncached, 50) / 1e3, pct(uncached, 99) / 1e3);
            HttpResponse<String> v = http.send(HttpRequest.newBuilder(URI.create(base + "/api/audit/verify"))
                    .header("Authorization", "Bearer " + operatorToken).timeout(Duration.ofMinutes(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = v.body();
            long events = Long.parseLong(body.replaceAll(".*\"events\":(\\d+).*", "$1"));
            long millis = Long.parseLong(body.replaceAll(".*\"millis\":(\\d+).*", "$1"));
            System.out.printf("  %-58s %7d ms for %d events -> %.0f ms per 100k   (ok=%s)%n", "GET /api/audit/verify",
                    millis, events, millis * 100_000.0 / Math.max(1, events), body.contains("\"ok\":true"));
        } finally {
            service.destroy();
            service.waitFor();
        }
    }

    static String batchJson(int n) {
        StringBuilder sb = new StringBuilder("{\"events\":[");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"id\":\"").append(UUID.randomUUID()).append("\",\"source\":\"registry-service\",")
                    .append("\"type\":\"agent.registered\",\"occurredAt\":\"2026-11-24T04:00:00Z\",\"actor\":\"operator\",")
                    .append("\"action\":\"agent.register\",\"asset\":{\"type\":\"agent\",\"id\":\"a1\"},")
                    .append("\"data\":{\"name\":\"bench\",\"n\":1}}");
        }
        return sb.append("]}").toString();
    }

    static int post(HttpClient http, String url, String token, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        if (r.body().startsWith("{\"accepted\":")) {
            return Integer.parseInt(r.body().replaceAll("\\{\"accepted\":(\\d+).*", "$1"));
        }
        return 1;
    }

    /** An RS256 internal JWT as the gateway mints it. */
    static String jwt(PrivateKey key, String sub, String group, String agentId) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long now = System.currentTimeMillis() / 1000;
        String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"iss\":\"memroos-gateway\",\"aud\":\"memroos-internal\",\"sub\":\"" + sub
                + "\",\"groups\":[\"" + group + "\"],\"iat\":" + now + ",\"exp\":" + (now + 3600)
                + (agentId == null ? "" : ",\"agent_id\":\"" + agentId + "\"") + "}").getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + b64.encodeToString(s.sign());
    }
}
