package io.memroos.contract.outbox;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for governance's {@code POST /internal/events}: a real HTTP server that ingests ids
 * idempotently like governance does, records them in order, and can be down (not listening), fail with a status for a while, or refuse
 * batches holding a poison id with 400.
 */
final class Receiver implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("\\{\"id\":\"([^\"]+)\",\"source\":");

    private final int port;
    private HttpServer server;
    /** Ids ingested, each once, in the order they first arrived (governance dedupes by id). */
    final List<String> accepted = new CopyOnWriteArrayList<>();
    /** Every id of every answered-200 batch, duplicates included. */
    final List<String> received = new CopyOnWriteArrayList<>();
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger failNext = new AtomicInteger();
    volatile int failStatus = 503;
    final Set<String> poison = ConcurrentHashMap.newKeySet();
    volatile String expectedToken = "test-token";
    volatile String lastAuthorization;

    Receiver() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port + "/internal/events");
    }

    synchronized void up() throws IOException {
        if (server != null) {
            return;
        }
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
                break;
            } catch (IOException e) {
                last = e;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        if (server == null) {
            throw last;
        }
        server.createContext("/internal/events", exchange -> {
            calls.incrementAndGet();
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            lastAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
            int status;
            String answer;
            List<String> ids = new ArrayList<>();
            Matcher m = ID.matcher(body);
            while (m.find()) {
                ids.add(m.group(1));
            }
            if (!"POST".equals(exchange.getRequestMethod())
                    || !("Bearer " + expectedToken).equals(lastAuthorization)) {
                status = 401;
                answer = "{\"status\":401}";
            } else if (failNext.get() > 0 && failNext.getAndDecrement() > 0) {
                status = failStatus;
                answer = "{\"status\":" + failStatus + "}";
            } else if (!body.startsWith("{\"events\":[") || ids.stream().anyMatch(poison::contains)) {
                status = 400;
                answer = "{\"status\":400,\"detail\":\"events[0].data: bad\"}";
            } else {
                int duplicates = 0;
                for (String id : ids) {
                    received.add(id);
                    if (accepted.contains(id)) {
                        duplicates++;
                    } else {
                        accepted.add(id);
                    }
                }
                batchSizes.add(ids.size());
                status = 200;
                answer = "{\"accepted\":" + (ids.size() - duplicates) + ",\"duplicates\":" + duplicates + "}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    @Override
    public void close() {
        down();
    }
}
