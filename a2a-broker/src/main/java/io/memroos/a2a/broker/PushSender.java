package io.memroos.a2a.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memroos.a2a.domain.PushConfig;
import io.memroos.a2a.domain.PushDelivery;
import io.memroos.a2a.domain.TaskEvent;
import io.memroos.a2a.domain.TaskStore;
import io.memroos.a2a.protocol.Wire;
import org.jboss.logging.Logger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Delivers the push outbox at least once: each event of a task to each of its webhooks, in sequence order, with
 * retries and exponential backoff. Every delivery is signed:
 * {@code X-MemRoOS-Signature: sha256=hex(HMAC-SHA256(token, timestamp + "." + body))} with
 * {@code X-MemRoOS-Timestamp}; the token is also sent as {@code X-A2A-Notification-Token}.
 */
public final class PushSender {

    private static final Logger LOG = Logger.getLogger(PushSender.class);
    static final int MAX_ATTEMPTS = 10;

    private final TaskStore store;
    private final UrlGuard guard;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public PushSender(TaskStore store, UrlGuard guard, Clock clock) {
        this.store = store;
        this.guard = guard;
        this.clock = clock;
    }

    public synchronized int deliverDue() {
        List<PushDelivery> due = store.duePushDeliveries(clock.instant(), 100);
        for (PushDelivery d : due) {
            deliver(d);
        }
        return due.size();
    }

    private void deliver(PushDelivery d) {
        Optional<PushConfig> config = store.findPushConfig(d.taskId(), d.configId());
        List<TaskEvent> events = store.events(d.taskId(), d.seq() - 1, 1);
        if (config.isEmpty() || events.isEmpty()) {
            store.pushDelivered(d.id());
            return;
        }
        ObjectNode c = Wire.parseObject(config.get().configJson());
        String body = events.get(0).eventJson();
        String token = Wire.text(c, "token");
        String ts = String.valueOf(clock.instant().getEpochSecond());
        try {
            URI url = guard.check("url", URI.create(Wire.text(c, "url")));
            HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json")
                    .header("X-MemRoOS-Timestamp", ts)
                    .header("X-MemRoOS-Event-Seq", String.valueOf(d.seq()))
                    .header("X-MemRoOS-Signature", "sha256=" + sign(token, ts + "." + body))
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (token != null) {
                b.header("X-A2A-Notification-Token", token);
            }
            if (c.has("authentication") && Wire.text(c.get("authentication"), "credentials") != null) {
                String scheme = Wire.text(c.get("authentication"), "scheme");
                b.header("Authorization", (scheme == null ? "Bearer" : scheme) + " "
                        + Wire.text(c.get("authentication"), "credentials"));
            }
            HttpResponse<Void> r = http.send(b.build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 == 2) {
                store.pushDelivered(d.id());
                return;
            }
            failed(d, "HTTP " + r.statusCode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failed(d, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void failed(PushDelivery d, String error) {
        int attempts = d.attempts() + 1;
        Instant next = attempts >= MAX_ATTEMPTS ? null
                : clock.instant().plusMillis(Math.min(500L << Math.min(attempts, 10), 300_000L));
        if (next == null) {
            LOG.warnf("push to task %s config %s given up after %d attempts: %s", d.taskId(), d.configId(), attempts,
                    error);
        }
        store.pushFailed(d.id(), attempts, next, error,
                next == null ? Audit.pushGivenUp(d, attempts, error, clock.instant()) : null);
    }

    static String sign(String key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec((key == null ? "" : key).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
