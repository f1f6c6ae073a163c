package io.memroos.gateway.ui;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The console's own view of what the registry returns (the consumer owns its view of the
 * provider). Parsing is lenient: a missing field shows as empty, never as an error.
 */
public final class Views {

    private Views() {
    }

    /** Data every page needs. */
    public record Page(String active, String csrf, String version) {
        /** The value of {@code hx-headers} on the body, so every htmx request carries the CSRF token. */
        public String hxHeaders() {
            return new JsonObject().put("X-CSRF-Token", csrf).encode();
        }
    }

    public record Agent(String id, String name, String description, String owner, List<String> capabilities,
                 List<String> skills, String endpointKind, String endpointUrl, String status, String liveness,
                 String lastHeartbeatAt, String source, String cardUrl, String createdAt, String updatedAt) {

        static Agent from(JsonObject j) {
            JsonObject endpoint = j.getJsonObject("endpoint", new JsonObject());
            return new Agent(j.getString("id", ""), j.getString("name", ""), j.getString("description", ""),
                    j.getString("owner", ""), strings(j.getValue("capabilities")), skillNames(j.getValue("skills")),
                    endpoint.getString("kind", ""), endpoint.getString("url", ""), j.getString("status", "unknown"),
                    j.getString("liveness", "unknown"), text(j.getValue("lastHeartbeatAt")), j.getString("source", ""),
                    j.getString("cardUrl", ""), text(j.getValue("createdAt")), text(j.getValue("updatedAt")));
        }

        public String capabilityList() {
            return String.join(", ", capabilities);
        }

        public String lastHeartbeatAgo() {
            return ago(lastHeartbeatAt);
        }

        public String created() {
            return shortTime(createdAt);
        }

        public String updated() {
            return shortTime(updatedAt);
        }
    }

    public record Key(String id, String prefix, String label, String createdAt, String lastUsedAt, String expiresAt,
               String revokedAt) {

        static Key from(JsonObject j) {
            return new Key(j.getString("id", ""), displayPrefix(j.getString("prefix", "")), j.getString("label", ""),
                    text(j.getValue("createdAt")), text(j.getValue("lastUsedAt")), text(j.getValue("expiresAt")),
                    text(j.getValue("revokedAt")));
        }

        public boolean revoked() {
            return !revokedAt.isEmpty();
        }

        public String created() {
            return shortTime(createdAt);
        }

        public String lastUsedAgo() {
            return ago(lastUsedAt);
        }

        public String expires() {
            return shortTime(expiresAt);
        }
    }

    /** A key just issued: the only time the console ever holds its secret. */
    public record NewKey(String id, String prefix, String key, String label) {
        static NewKey from(JsonObject j) {
            return new NewKey(j.getString("id", ""), displayPrefix(j.getString("prefix", "")), j.getString("key", ""),
                    j.getString("label", ""));
        }

        @Override
        public String toString() {
            return "NewKey[" + id + ", " + prefix + "]";
        }
    }

    public record Heartbeat(String receivedAt, String status, String load, String version, String metrics) {
        public String receivedAgo() {
            return ago(receivedAt);
        }

        static Heartbeat from(JsonObject j) {
            Object load = j.getValue("load");
            Object metrics = j.getValue("metrics");
            return new Heartbeat(text(j.getValue("receivedAt", j.getValue("at", j.getValue("createdAt")))),
                    j.getString("status", ""), load == null ? "" : load.toString(), j.getString("version", ""),
                    metrics == null ? "" : Json.compact(metrics));
        }
    }

    /** How many agents are in each liveness state (from the first page of the registry's list). */
    public record AgentSummary(int total, long online, long stale, long offline, long unreachable, String error) {
        static AgentSummary of(List<Agent> agents, String error) {
            return new AgentSummary(agents.size(), count(agents, "online"), count(agents, "stale"),
                    count(agents, "offline"), count(agents, "unreachable"), error);
        }

        private static long count(List<Agent> agents, String liveness) {
            return agents.stream().filter(a -> liveness.equals(a.liveness())).count();
        }
    }

    /** One service's health as the overview shows it. */
    public record ServiceStatus(String name, String url, String state, String detail) {
        public boolean up() {
            return "UP".equals(state);
        }
    }

    /** One field the registry refused, and why. */
    public record FieldError(String field, String message) {
    }

    /** The register form as typed, to show it again with errors. */
    public record AgentForm(String name, String description, String owner, String capabilities, String endpointKind,
                     String endpointUrl) {
        static AgentForm empty() {
            return new AgentForm("", "", "", "", "a2a", "");
        }
    }

    /** A refusal to show above a form, with the fields at fault. */
    public record FormErrors(String detail, List<FieldError> fields) {
        static FormErrors none() {
            return new FormErrors("", List.of());
        }

        public boolean any() {
            return !detail.isEmpty() || !fields.isEmpty();
        }

        /** The message for a field ({@code endpoint.url} also matches {@code url}), or "". */
        public String of(String field) {
            for (FieldError f : fields) {
                if (f.field().equals(field) || f.field().endsWith("." + field) || field.endsWith("." + f.field())) {
                    return f.message();
                }
            }
            return "";
        }
    }

    /** One agent's inbox on the bus: unacknowledged, in flight, dead-lettered. */
    public record Backlog(String agentId, String agentName, long pending, long inFlight, long dead, long lastSeq,
                          String oldestPendingAt) {
        static Backlog from(JsonObject j) {
            return new Backlog(j.getString("agentId", ""), "", number(j.getValue("pending")), number(j.getValue("inFlight")),
                    number(j.getValue("dead")), number(j.getValue("lastSeq")), text(j.getValue("oldestPendingAt")));
        }

        Backlog named(String name) {
            return new Backlog(agentId, name == null ? "" : name, pending, inFlight, dead, lastSeq, oldestPendingAt);
        }

        public String oldestPendingAgo() {
            return ago(oldestPendingAt);
        }
    }

    /** A message on the bus, as the console shows it. */
    public record BusMessage(String id, String sender, List<String> recipients, String threadId, String replyTo,
                             String subject, String bodyKind, String body, int priority, String label, String createdAt,
                             String expiresAt) {
        static BusMessage from(JsonObject j) {
            Object body = j.getValue("body");
            String text = body == null ? "" : body instanceof JsonObject o ? o.encodePrettily()
                    : body instanceof JsonArray a ? a.encodePrettily() : body.toString();
            return new BusMessage(j.getString("id", ""), j.getString("sender", ""), strings(j.getValue("recipients")),
                    j.getString("threadId", ""), j.getString("replyTo", ""), j.getString("subject", ""),
                    j.getString("bodyKind", ""), text, (int) number(j.getValue("priority")), j.getString("label", ""),
                    text(j.getValue("createdAt")), text(j.getValue("expiresAt")));
        }

        public String recipientList() {
            return String.join(", ", recipients);
        }

        public String created() {
            return shortTime(createdAt);
        }

        public String createdAgo() {
            return ago(createdAt);
        }
    }

    /** A message moved out of an inbox after its last attempt or its time to live. */
    public record DeadLetter(String id, String agentId, long seq, int attempts, String deadAt, String reason,
                             BusMessage message) {
        static DeadLetter from(JsonObject j) {
            JsonObject m = j.getJsonObject("message", new JsonObject());
            return new DeadLetter(j.getString("id", ""), j.getString("agentId", ""), number(j.getValue("seq")),
                    (int) number(j.getValue("attempts")), text(j.getValue("deadAt")), j.getString("reason", ""),
                    BusMessage.from(m));
        }

        public String deadAgo() {
            return ago(deadAt);
        }
    }

    static List<JsonObject> items(Object body) {
        JsonArray array = body instanceof JsonArray a ? a
                : body instanceof JsonObject o && o.getValue("items") instanceof JsonArray a2 ? a2 : new JsonArray();
        List<JsonObject> out = new ArrayList<>();
        for (Object o : array) {
            if (o instanceof JsonObject jo) {
                out.add(jo);
            } else if (o instanceof Map<?, ?> m) {
                out.add(new JsonObject((Map<String, Object>) m));
            }
        }
        return out;
    }

    /** "12 s ago", "5 min ago", "3 h ago", "2 d ago" for an ISO instant; "" when absent. */
    public static String ago(String iso) {
        java.time.Instant at = instant(iso);
        if (at == null) {
            return iso;
        }
        long s = java.time.Duration.between(at, java.time.Instant.now()).getSeconds();
        if (s < 5) {
            return "just now";
        }
        if (s < 60) {
            return s + " s ago";
        }
        if (s < 3600) {
            return s / 60 + " min ago";
        }
        if (s < 86400) {
            return s / 3600 + " h ago";
        }
        return s / 86400 + " d ago";
    }

    /** "2026-11-24 01:41 UTC" for an ISO instant. */
    public static String shortTime(String iso) {
        java.time.Instant at = instant(iso);
        return at == null ? iso : SHORT.format(at);
    }

    private static final java.time.format.DateTimeFormatter SHORT =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC);

    private static java.time.Instant instant(String iso) {
        if (iso == null || iso.isEmpty()) {
            return null;
        }
        try {
            return java.time.Instant.parse(iso);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    static String displayPrefix(String prefix) {
        return prefix.isEmpty() || prefix.startsWith("mrk_") ? prefix : "mrk_" + prefix;
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0L;
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof JsonArray a) {
            a.forEach(v -> out.add(String.valueOf(v)));
        }
        return out;
    }

    private static List<String> skillNames(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof JsonArray a) {
            for (Object v : a) {
                out.add(v instanceof JsonObject o ? o.getString("name", o.getString("id", o.encode())) : String.valueOf(v));
            }
        }
        return out;
    }

    private static final class Json {
        static String compact(Object value) {
            String s = value instanceof JsonObject o ? o.encode() : String.valueOf(value);
            return s.length() > 120 ? s.substring(0, 117) + "..." : s;
        }
    }
}
