package io.memroos.bus.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One message as sent: the sender is the caller's identity, never a body field.
 *
 * @param body     the text, or the JSON document as text when {@code bodyKind} is {@link BodyKind#JSON}
 * @param priority 0 (lowest) to 9 (highest)
 */
public record Message(String id, String sender, List<String> recipients, String threadId, String replyTo,
                      String subject, BodyKind bodyKind, String body, int priority, String label,
                      String idempotencyKey, Instant createdAt, Instant expiresAt) {

    public enum BodyKind {
        TEXT, JSON;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static BodyKind parse(String s) {
            return "json".equals(s) ? JSON : TEXT;
        }
    }

    public Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(bodyKind, "bodyKind");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Whether this agent sent or received the message. */
    public boolean involves(String agentId) {
        return sender.equals(agentId) || recipients.contains(agentId);
    }
}
