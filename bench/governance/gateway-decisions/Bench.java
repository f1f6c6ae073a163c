import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's policy check, measured: the same sensitive requests through the real gateway (its packaged
 * jar, started by this program) with policy checks off, on (cached decisions) and on with caching disabled
 * (every request asks governance). Behind the gateway sits one in-process upstream that plays both the
 * memory service and governance (a constant small answer, a constant "allow"), so the only difference between
 * the runs is the check. Prints p50/p99 per run and what the check adds.
 *
 *   java Bench.java --jar kernel-gateway/target/quarkus-app/quarkus-run.jar [--requests N] [--concurrency C]
 */
public class Bench {

    static final String OPERATOR_KEY = "mro_bench_" + Long.toHexString(System.nanoTime()) + "abcdefabcdef";
    static final AtomicLong DECISIONS = new AtomicLong();

    public static void main(String[] args) throws Exception {
        String jar = null;
        int requests = 20_000;
        int concurrency = 8;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = args[++i];
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (jar == null) {
            throw new IllegalArgumentException("--jar kernel-gateway/target/quarkus-app/quarkus-run.jar is required");
        }
        HttpServer upstream = upstream();
        String upstreamUrl = "http://127.0.0.1:" + upstream.getAddress().getPort();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(concurrency)).connectTimeout(Duration.ofSeconds(2)).build();

        record Mode(String name, boolean policy, String ttl) {
        }
        List<Mode> modes = List.of(new Mode("off", false, "5s"), new Mode("on, cached", true, "5s"),
                new Mode("on, uncached", true, "1ms"));
        System.out.printf("gateway policy check: %d requests per measurement, %d concurrent, %d cores, load %s%n",
                requests, concurrency, Runtime.getRuntime().availableProcessors(), load());
        List<String[]> rows = new ArrayList<>();
        double[][] p = new double[modes.size()][4];
        for (int m = 0; m < modes.size(); m++) {
            Mode mode = modes.get(m);
            Path data = Files.createTempDirectory("gw-decisions-");
            int port = freePort();
            Process gw = startGateway(jar, data, port, upstreamUrl, mode.policy(), mode.ttl());
            try {
                String base = "http://127.0.0.1:" + port;
                waitReady(http, base, gw);
                HttpRequest get = HttpRequest.newBuilder(URI.create(base + "/api/memory-inventory?agentId=agt_bench"))
                        .header("Authorization", "Bearer " + OPERATOR_KEY).GET().build();
                HttpRequest post = HttpRequest.newBuilder(URI.create(base + "/api/evidence"))
                        .header("Authorization", "Bearer " + OPERATOR_KEY).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"agentId\":\"agt_bench\"}")).build();
                long askedBefore = DECISIONS.get();
                // warm the JIT of both JVMs on both paths
                measure(http, get, Math.max(500, requests / 2), concurrency);
                measure(http, post, Math.max(500, requests / 2), concurrency);
                double[] g = measure(http, get, requests, concurrency);
                double[] po = measure(http, post, requests, concurrency);
                long asked = DECISIONS.get() - askedBefore;
                p[m] = new double[] {g[0], g[1], po[0], po[1]};
                rows.add(new String[] {mode.name(), f(g[0]), f(g[1]), String.format("%.0f", g[2]), f(po[0]), f(po[1]),
                        String.format("%.0f", po[2]), Long.toString(asked)});
                System.out.printf("  %-13s done (governance asked %d times)%n", mode.name(), asked);
            } finally {
                gw.destroy();
                gw.waitFor();
                deleteTree(data);
            }
        }
        upstream.stop(0);
        System.out.println();
        System.out.printf("%-13s %9s %9s %8s %10s %10s %8s %8s%n", "policy check", "GET p50", "GET p99", "GET r/s",
                "POST p50", "POST p99", "POST r/s", "asked");
        for (String[] r : rows) {
            System.out.printf("%-13s %9s %9s %8s %10s %10s %8s %8s%n", (Object[]) r);
        }
        System.out.printf("%ncached check adds: GET p50 %+.3f ms, p99 %+.3f ms; POST p50 %+.3f ms, p99 %+.3f ms (target p99 < 1 ms)%n",
                p[1][0] - p[0][0], p[1][1] - p[0][1], p[1][2] - p[0][2], p[1][3] - p[0][3]);
        System.out.printf("uncached check adds: GET p50 %+.3f ms, p99 %+.3f ms; POST p50 %+.3f ms, p99 %+.3f ms%n",
                p[2][0] - p[0][0], p[2][1] - p[0][1], p[2][2] - p[0][2], p[2][3] - p[0][3]);
        System.exit(0);
    }

    static String f(double ms) {
        return String.format("%.3f", ms);
    }

    /** Runs {@code n} requests with {@code c} workers in a closed loop; returns p50 ms, p99 ms, requests/s. */
    static double[] measure(HttpClient http, HttpRequest request, int n, int c) throws Exception {
        long[] lat = new long[n];
        AtomicLong next = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(c);
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < c; w++) {
            workers.add(pool.submit(() -> {
                while (true) {
                    long i = next.getAndIncrement();
                    if (i >= n) {
                        return null;
                    }
                    long t0 = System.nanoTime();
                    HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    lat[(int) i] = System.nanoTime() - t0;
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + r.statusCode() + ": " + new String(r.body()));
                    }
                }
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Arrays.sort(lat);
        return new double[] {lat[(int) (n * 0.50)] / 1e6, lat[Math.min(n - 1, (int) (n * 0.99))] / 1e6, n / seconds};
    }

    /** Memory inventory, evidence and decisions: constant small answers. */
    static HttpServer upstream() throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        byte[] ok = "{\"items\":[],\"total\":0}".getBytes(StandardCharsets.UTF_8);
        byte[] allow = ("{\"decision\":\"allow\",\"policies\":[\"operator-all\"],\"decisionId\":\"dec_bench\","
                + "\"policyVersion\":1}").getBytes(StandardCharsets.UTF_8);
        s.createContext("/", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                in.readAllBytes();
            }
            byte[] body = ex.getRequestURI().getPath().equals("/internal/decisions") ? allow : ok;
            if (body == allow) {
                DECISIONS.incrementAndGet();
            }
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        s.setExecutor(Executors.newFixedThreadPool(8));
        s.start();
        return s;
    }

    static Process startGateway(String jar, Path data, int port, String upstream, boolean policy, String ttl)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-jar", jar)
                .redirectErrorStream(true).redirectOutput(data.resolve("gateway.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("MEMROOS_DATA", data.toString());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("MEMROOS_OPERATOR_API_KEY", OPERATOR_KEY);
        for (String s : List.of("REGISTRY", "MEMORY", "GOVERNANCE", "A2A", "BUS")) {
            env.put("MEMROOS_" + s + "_URL", upstream);
        }
        env.put("MEMROOS_GATEWAY_RATE_LIMIT_REQUESTS_PER_SECOND", "10000000");
        env.put("MEMROOS_GATEWAY_RATE_LIMIT_BURST", "10000000");
        env.put("MEMROOS_GATEWAY_POLICY_ENABLED", Boolean.toString(policy));
        env.put("MEMROOS_GATEWAY_POLICY_CACHE_TTL", ttl);
        env.remove("MEMROOS_LOG_JSON");
        return pb.start();
    }

    static void waitReady(HttpClient http, String base, Process gw) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!gw.isAlive()) {
                throw new IllegalStateException("the gateway exited with " + gw.exitValue());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/memory-inventory"))
                        .header("Authorization", "Bearer " + OPERATOR_KEY).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the gateway did not answer within 120 s");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String load() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException e) {
            return "?";
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        }
    }
}
