package io.memroos.bus.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.bus.domain.Delivery;
import io.memroos.bus.domain.Message;
import io.memroos.bus.domain.PushService;
import io.memroos.bus.domain.Subscription;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * POSTs one delivery (the same JSON as an inbox item) to the subscriber, signed:
 * {@code X-MemRoOS-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>}. No redirects.
 */
public final class HttpPushTransport implements PushService.PushTransport {

    public static final String SIGNATURE = "X-MemRoOS-Signature";

    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;

    public HttpPushTransport(ObjectMapper json, Duration timeout) {
        this.json = json;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public int post(Subscription s, Delivery d) throws Exception {
        byte[] body = json.writeValueAsBytes(payload(d));
        long t = System.currentTimeMillis() / 1000;
        HttpRequest request = HttpRequest.newBuilder(URI.create(s.url())).timeout(timeout)
                .header("Content-Type", "application/json")
                .header(SIGNATURE, "t=" + t + ",v1=" + sign(s.secret(), t, body))
                .header("X-MemRoOS-Message-Id", d.message().id())
                .header("X-MemRoOS-Delivery-Attempt", Integer.toString(d.attempts()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** hex HMAC-SHA256(secret, "t." + body). */
    public static String sign(String secret, long t, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private Map<String, Object> payload(Delivery d) throws Exception {
        Message m = d.message();
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("id", m.id());
        msg.put("sender", m.sender());
        msg.put("recipients", m.recipients());
        msg.put("threadId", m.threadId());
        msg.put("replyTo", m.replyTo());
        msg.put("subject", m.subject());
        msg.put("bodyKind", m.bodyKind().wire());
        msg.put("body", m.bodyKind() == Message.BodyKind.JSON ? json.readTree(m.body()) : m.body());
        msg.put("priority", m.priority());
        msg.put("label", m.label());
        msg.put("idempotencyKey", m.idempotencyKey());
        msg.put("createdAt", m.createdAt().toString());
        msg.put("expiresAt", m.expiresAt() == null ? null : m.expiresAt().toString());
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("seq", d.seq());
        item.put("receipt", d.receipt());
        item.put("attempts", d.attempts());
        item.put("visibleUntil", d.visibleUntil().toString());
        item.put("message", msg);
        return item;
    }
}
