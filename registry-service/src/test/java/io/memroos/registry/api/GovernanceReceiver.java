package io.memroos.registry.api;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for governance's {@code POST /internal/events} on a port reserved before the app starts: a real
 * HTTP server, started and stopped by the test, that ingests events by id (as governance does) and keeps
 * every raw event and bearer token it was sent.
 */
final class GovernanceReceiver {

    static final int PORT = freePort();
    private static final Pattern EVENT_ID = Pattern.compile("\\{\"id\":\"([^\"]+)\",\"source\":");

    final List<String> acceptedIds = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<String> tokens = new CopyOnWriteArrayList<>();
    private HttpServer server;

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    synchronized void up() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 50);
        server.createContext("/internal/events", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            tokens.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            int accepted = 0;
            int duplicates = 0;
            for (String event : split(body)) {
                Matcher m = EVENT_ID.matcher(event);
                if (!m.find()) {
                    continue;
                }
                if (acceptedIds.contains(m.group(1))) {
                    duplicates++;
                } else {
                    acceptedIds.add(m.group(1));
                    events.add(event);
                    accepted++;
                }
            }
            byte[] answer = ("{\"accepted\":" + accepted + ",\"duplicates\":" + duplicates + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
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

    /** The events of {@code {"events":[...]}}, split at top-level commas (strings and nesting respected). */
    static List<String> split(String body) {
        List<String> out = new ArrayList<>();
        int start = body.indexOf('[') + 1;
        int depth = 0;
        boolean inString = false;
        int from = -1;
        for (int i = start; i < body.length(); i++) {
            char c = body.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (c == '"') {
                inString = true;
            } else if (c == '{') {
                if (depth++ == 0) {
                    from = i;
                }
            } else if (c == '}') {
                if (--depth == 0) {
                    out.add(body.substring(from, i + 1));
                }
            }
        }
        return out;
    }
}
