package io.memroos.bus.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.memroos.bus.domain.Backlog;
import io.memroos.bus.domain.BusException;
import io.memroos.bus.domain.BusStore;
import io.memroos.bus.domain.DeadLetter;
import io.memroos.bus.domain.Delivery;
import io.memroos.bus.domain.Message;
import io.memroos.bus.domain.MessageService;
import io.memroos.bus.domain.OutboxEvent;
import io.memroos.bus.domain.Peer;
import io.memroos.bus.domain.Subscription;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The bus's wire shapes and their mapping to and from the domain. */
final class Json {

    private Json() {
    }

    // ---- requests -----------------------------------------------------------------------------

    @Schema(name = "SendMessage", description = "Name the recipients in `to` (one id or a list) or by `capability` "
            + "(every active agent with it, the sender excepted). The sender is the caller.")
    record SendBody(@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> to,
                    String capability,
                    @Schema(description = "Thread to add to; default: a new thread named after the message") String threadId,
                    @Schema(description = "Id of the message answered; puts this one in its thread") String replyTo,
                    String subject,
                    @Schema(required = true, description = "A string (text) or any JSON value; at most 256 KiB")
                    JsonNode body,
                    @Schema(minimum = "0", maximum = "9", defaultValue = "5") Integer priority,
                    @Schema(description = "Seconds until an unacknowledged message expires (dead-lettered)")
                    Integer ttlSeconds,
                    @Schema(description = "A repeated send with the same key returns the first message")
                    String idempotencyKey,
                    @Schema(defaultValue = "internal") String label) {
    }

    @Schema(name = "AckInput")
    record AckBody(@Schema(description = "The delivery's receipt; when given it must be the latest") String receipt) {
    }

    @Schema(name = "NackInput")
    record NackBody(String receipt, @Schema(minimum = "0", maximum = "3600") Integer delaySeconds) {
    }

    @Schema(name = "AckItem")
    record AckItem(@Schema(required = true) String messageId, String receipt) {
    }

    @Schema(name = "BatchAckInput")
    record BatchAckBody(@Schema(required = true) List<AckItem> acks) {
    }

    @Schema(name = "SubscriptionInput")
    record SubscriptionBody(@Schema(description = "Default: the agent's rest endpoint in the registry") String url,
                            @Schema(description = "HMAC secret, 16-256 characters; generated when absent") String secret,
                            Boolean enabled) {
    }

    // ---- responses ----------------------------------------------------------------------------

    @Schema(name = "Message")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record MessageJson(String id, String sender, List<String> recipients, String threadId, String replyTo,
                       String subject, @Schema(enumeration = {"text", "json"}) String bodyKind,
                       @Schema(description = "The text, or the JSON value") Object body, int priority, String label,
                       String idempotencyKey, Instant createdAt, Instant expiresAt) {
    }

    @Schema(name = "InboxItem", description = "A delivered message; acknowledge it before visibleUntil or it is "
            + "delivered again")
    record InboxItem(long seq, String receipt, int attempts, Instant visibleUntil, MessageJson message) {
    }

    @Schema(name = "Inbox")
    record InboxJson(List<InboxItem> items) {
    }

    @Schema(name = "AckResult")
    record AckJson(String messageId, @Schema(enumeration = {"acked", "already-acked", "nacked", "not-found", "dead",
            "not-delivered", "stale-receipt"}) String status) {
    }

    @Schema(name = "BatchAckResult")
    record BatchAckJson(List<AckJson> results) {
    }

    @Schema(name = "Thread")
    record ThreadJson(String threadId, List<MessageJson> messages) {
    }

    @Schema(name = "Peer")
    record PeerJson(String id, String name, List<String> capabilities,
                    @Schema(enumeration = {"online", "stale", "offline", "unreachable"}) String liveness,
                    @Schema(enumeration = {"a2a", "rest"}) String endpointKind) {
    }

    @Schema(name = "Peers")
    record PeersJson(List<PeerJson> items) {
    }

    @Schema(name = "Backlog")
    record BacklogJson(String agentId, long pending, long inFlight, long dead, long lastSeq, Instant oldestPendingAt) {
    }

    @Schema(name = "Backlogs")
    record BacklogsJson(List<BacklogJson> items) {
    }

    @Schema(name = "MessagePage")
    record MessagePage(List<MessageJson> items, String nextCursor) {
    }

    @Schema(name = "DeadLetter")
    record DeadLetterJson(String id, String agentId, long seq, int attempts, Instant deadAt,
                          @Schema(enumeration = {"max-attempts", "expired"}) String reason, MessageJson message) {
    }

    @Schema(name = "DeadLetterPage")
    record DeadLetterPage(List<DeadLetterJson> items, String nextCursor) {
    }

    @Schema(name = "OutboxEvent")
    record EventJson(long position, String id, String type, String actor, String asset, Instant occurredAt,
                     Object payload, Instant publishedAt) {
    }

    @Schema(name = "Outbox")
    record OutboxJson(List<EventJson> items, @Schema(description = "Pass as after for the next page") long last) {
    }

    @Schema(name = "Subscription")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record SubscriptionJson(String agentId, String url, @Schema(description = "The HMAC-SHA256 secret") String secret,
                            boolean enabled, Instant createdAt, Instant updatedAt) {
    }

    // ---- mapping ------------------------------------------------------------------------------

    static MessageService.SendCommand send(SendBody b) {
        JsonNode body = b.body();
        Message.BodyKind kind;
        String text;
        if (body == null || body.isNull() || body.isMissingNode()) {
            kind = Message.BodyKind.TEXT;
            text = null;
        } else if (body.isTextual()) {
            kind = Message.BodyKind.TEXT;
            text = body.textValue();
        } else {
            kind = Message.BodyKind.JSON;
            text = body.toString();
        }
        return new MessageService.SendCommand(b.to(), b.capability(), b.threadId(), b.replyTo(), b.subject(), kind,
                text, b.priority(), b.ttlSeconds(), b.idempotencyKey(), b.label());
    }

    static MessageJson message(Message m) {
        Object body = m.bodyKind() == Message.BodyKind.JSON ? new RawValue(m.body()) : m.body();
        return new MessageJson(m.id(), m.sender(), m.recipients(), m.threadId(), m.replyTo(), m.subject(),
                m.bodyKind().wire(), body, m.priority(), m.label(), m.idempotencyKey(), m.createdAt(), m.expiresAt());
    }

    static InboxItem item(Delivery d) {
        return new InboxItem(d.seq(), d.receipt(), d.attempts(), d.visibleUntil(), message(d.message()));
    }

    static AckJson ack(BusStore.AckResult r) {
        return new AckJson(r.messageId(), r.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    static PeerJson peer(Peer p) {
        return new PeerJson(p.id(), p.name(), p.capabilities(), p.liveness(), p.endpointKind());
    }

    static BacklogJson backlog(Backlog b) {
        return new BacklogJson(b.agentId(), b.pending(), b.inFlight(), b.dead(), b.lastSeq(), b.oldestPendingAt());
    }

    static DeadLetterJson deadLetter(DeadLetter d) {
        return new DeadLetterJson(d.id(), d.recipient(), d.seq(), d.attempts(), d.deadAt(), d.reason(),
                message(d.message()));
    }

    static EventJson event(OutboxEvent e) {
        return new EventJson(e.position(), e.id(), e.type(), e.actor(), e.asset(), e.occurredAt(),
                new RawValue(e.payload()), e.publishedAt());
    }

    static SubscriptionJson subscription(Subscription s) {
        return new SubscriptionJson(s.agentId(), s.url(), s.secret(), s.enabled(), s.createdAt(), s.updatedAt());
    }

    static <T> T required(T body) {
        if (body == null) {
            throw BusException.invalid("body", "a JSON body is required");
        }
        return body;
    }
}
