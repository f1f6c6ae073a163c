package io.memroos.gateway;

import io.memroos.gateway.keys.KeyFiles;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the REAL registry-service next to the gateway under test: a fresh data directory with the
 * internal JWT key pair (made by the gateway's own {@link KeyFiles}), then
 * {@code java -jar ../registry-service/target/quarkus-app/quarkus-run.jar} on a free port, its
 * output in {@code target/registry-test-*.log}. The gateway gets the same data directory and the
 * registry's URL. Governance is the in-JVM {@link FakeGovernance} (decisions allow unless a test says
 * otherwise), for the gateway's policy checks and the registry's outbox.
 */
public class RegistryProcess implements QuarkusTestResourceLifecycleManager {

    static final String JAR_PROPERTY = "memroos.registry.jar";
    static final String DEFAULT_JAR = "../registry-service/target/quarkus-app/quarkus-run.jar";

    private Process process;

    @Override
    public Map<String, String> start() {
        Path jar = Path.of(System.getProperty(JAR_PROPERTY, DEFAULT_JAR)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The registry-service jar is missing at " + jar
                    + ". The gateway's API tests run against the real registry: run `mvn -B install` from the"
                    + " repository root (or `mvn -B -pl registry-service -am package -DskipTests`) first.");
        }
        try {
            Path target = Path.of("target").toAbsolutePath();
            jar = privateCopy(jar, target);
            Path dataDir = Files.createTempDirectory(Files.createDirectories(target.resolve("test-data")), "suite-");
            KeyFiles.ensure(dataDir);
            int port = freePort();
            Path log = target.resolve("registry-test-" + dataDir.getFileName() + ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx256m", "-jar", jar.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("MEMROOS_DATA", dataDir.toString());
            pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            // the registry's outbox goes to the fake governance, never to a suite on the default ports
            String governance = FakeGovernance.url();
            pb.environment().put("MEMROOS_GOVERNANCE_URL", governance);
            pb.environment().remove("MEMROOS_LOG_JSON");
            process = pb.start();
            String url = "http://127.0.0.1:" + port;
            waitUntilReady(url, log);
            return Map.of(
                    "memroos.data-dir", dataDir.toString(),
                    "memroos.gateway.services.registry", url,
                    "memroos.gateway.services.governance", governance,
                    "memroos.test.registry-log", log.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the registry-service for the tests", e);
        }
    }

    /**
     * Runs a copy of the registry's quarkus-app directory, taken once per test JVM, so a rebuild of
     * registry-service while the tests run cannot pull jars from under the running registry.
     */
    private static synchronized Path privateCopy(Path jar, Path target) throws IOException {
        if (copied == null) {
            Path app = jar.getParent();
            // a fresh directory each time: a copy another test class may still be running is never touched
            Path copy = Files.createTempDirectory(Files.createDirectories(target.resolve("registry-app")), "copy-");
            try (var files = Files.walk(app)) {
                for (Path source : (Iterable<Path>) files::iterator) {
                    Path dest = copy.resolve(app.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(dest);
                    } else {
                        Files.copy(source, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            copied = copy.resolve(jar.getFileName().toString());
        }
        return copied;
    }

    private static Path copied;

    private void waitUntilReady(String url, Path log) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the registry-service exited with " + process.exitValue()
                        + " before it was ready; its log " + log + " ends with:\n" + tail(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the registry", e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the registry", e);
            }
        }
        stop();
        throw new IllegalStateException("the registry-service was not ready within 90 s; its log " + log
                + " ends with:\n" + tail(log));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    @Override
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
