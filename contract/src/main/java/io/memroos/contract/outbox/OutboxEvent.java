package io.memroos.contract.outbox;

import io.memroos.contract.Ids;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One event for governance, in the envelope of {@code POST /internal/events}:
 * <pre>{"id","source","type","occurredAt","actor","action","asset":{"type","id"},"purpose","label","data"}</pre>
 * {@code data} is kept as JSON text (a JSON object) so this module needs no JSON library; it is checked
 * when the event is made.
 *
 * @param id         the idempotency key (a UUID unless the caller has a better stable id)
 * @param source     the sending service, e.g. {@code registry-service}
 * @param type       what happened, e.g. {@code agent.registered}
 * @param occurredAt when it happened (kept to the millisecond)
 * @param actor      {@code operator}, {@code agent:<id>} or {@code service:<name>}
 * @param action     the action in policy terms, e.g. {@code agent.register}
 * @param assetType  the asset's type, e.g. {@code agent}
 * @param assetId    the asset's id
 * @param purpose    optional purpose
 * @param label      optional classification label of the asset
 * @param data       a JSON object with details (never secrets); {@code {}} when null
 */
public record OutboxEvent(String id, String source, String type, Instant occurredAt, String actor, String action,
                          String assetType, String assetId, String purpose, String label, String data) {

    /** Longest envelope the outbox accepts (governance takes up to 500 events per batch). */
    public static final int MAX_JSON_CHARS = 64 * 1024;

    public OutboxEvent {
        id = required(id, "id", 200);
        source = required(source, "source", 100);
        type = required(type, "type", 200);
        Objects.requireNonNull(occurredAt, "occurredAt");
        occurredAt = occurredAt.truncatedTo(ChronoUnit.MILLIS);
        actor = required(actor, "actor", 300);
        action = required(action, "action", 200);
        assetType = required(assetType, "assetType", 100);
        assetId = required(assetId, "assetId", 300);
        purpose = optional(purpose, "purpose");
        label = optional(label, "label");
        data = data == null || data.isBlank() ? "{}" : data.strip();
        if (!JsonText.isObject(data)) {
            throw new IllegalArgumentException("data must be one JSON object");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The envelope as JSON, the form stored in the outbox and sent to governance. */
    public String toJson() {
        StringBuilder out = new StringBuilder(160 + data.length());
        out.append("{\"id\":");
        JsonText.appendQuoted(out, id);
        out.append(",\"source\":");
        JsonText.appendQuoted(out, source);
        out.append(",\"type\":");
        JsonText.appendQuoted(out, type);
        out.append(",\"occurredAt\":");
        JsonText.appendQuoted(out, occurredAt.toString());
        out.append(",\"actor\":");
        JsonText.appendQuoted(out, actor);
        out.append(",\"action\":");
        JsonText.appendQuoted(out, action);
        out.append(",\"asset\":{\"type\":");
        JsonText.appendQuoted(out, assetType);
        out.append(",\"id\":");
        JsonText.appendQuoted(out, assetId);
        out.append('}');
        if (purpose != null) {
            out.append(",\"purpose\":");
            JsonText.appendQuoted(out, purpose);
        }
        if (label != null) {
            out.append(",\"label\":");
            JsonText.appendQuoted(out, label);
        }
        out.append(",\"data\":").append(data).append('}');
        if (out.length() > MAX_JSON_CHARS) {
            throw new IllegalArgumentException("event is larger than " + MAX_JSON_CHARS + " characters");
        }
        return out.toString();
    }

    private static String required(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(field + " is longer than " + max);
        }
        return value;
    }

    private static String optional(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > 200) {
            throw new IllegalArgumentException(field + " is longer than 200");
        }
        return value;
    }

    /** Fills id (a time-ordered UUID, {@link Ids#timeOrdered()}) and occurredAt (now) unless given. */
    public static final class Builder {
        private String id;
        private String source;
        private String type;
        private Instant occurredAt;
        private String actor;
        private String action;
        private String assetType;
        private String assetId;
        private String purpose;
        private String label;
        private String data;

        private Builder() {
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder source(String source) {
            this.source = source;
            return this;
        }

        public Builder type(String type) {
            this.type = type;
            return this;
        }

        public Builder occurredAt(Instant occurredAt) {
            this.occurredAt = occurredAt;
            return this;
        }

        public Builder actor(String actor) {
            this.actor = actor;
            return this;
        }

        public Builder action(String action) {
            this.action = action;
            return this;
        }

        public Builder asset(String type, String id) {
            this.assetType = type;
            this.assetId = id;
            return this;
        }

        public Builder purpose(String purpose) {
            this.purpose = purpose;
            return this;
        }

        public Builder label(String label) {
            this.label = label;
            return this;
        }

        /** A JSON object as text. */
        public Builder data(String json) {
            this.data = json;
            return this;
        }

        public OutboxEvent build() {
            return new OutboxEvent(id == null ? Ids.timeOrdered() : id, source, type,
                    occurredAt == null ? Instant.now() : occurredAt, actor, action, assetType, assetId, purpose,
                    label, data);
        }
    }
}
