package io.memroos.a2a.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memroos.a2a.domain.A2aException;
import io.memroos.a2a.domain.TaskState;

import java.util.Iterator;
import java.util.Map;

/**
 * A2A objects at the JSON level. The broker keeps and computes everything in the 1.0 shape; these functions
 * translate 0.3 objects to 1.0 on the way in and 1.0 objects to 0.3 on the way out.
 */
public final class Wire {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String DATA_COMPAT = "data_part_compat";

    private Wire() {
    }

    public static ObjectNode obj() {
        return F.objectNode();
    }

    public static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    public static ObjectNode parseObject(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("stored JSON is not an object", e);
        }
    }

    public static String write(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- 0.3 -> 1.0 ------------------------------------------------------------------------------

    public static ObjectNode part10(JsonNode p) {
        if (p == null || !p.isObject()) {
            throw A2aException.invalidParams("each part must be an object");
        }
        String kind = text(p, "kind");
        ObjectNode out = obj();
        if (kind == null) {
            return (ObjectNode) p.deepCopy();
        }
        switch (kind) {
            case "text" -> out.put("text", text(p, "text") == null ? "" : text(p, "text"));
            case "file" -> {
                JsonNode file = p.path("file");
                if (file.has("bytes")) {
                    out.put("raw", file.path("bytes").asText());
                } else if (file.has("uri")) {
                    out.put("url", file.path("uri").asText());
                } else {
                    throw A2aException.invalidParams("file part needs bytes or uri");
                }
                if (file.hasNonNull("mimeType")) {
                    out.put("mediaType", file.path("mimeType").asText());
                }
                if (file.hasNonNull("name")) {
                    out.put("filename", file.path("name").asText());
                }
            }
            case "data" -> {
                JsonNode data = p.path("data");
                JsonNode meta = p.get("metadata");
                if (meta != null && meta.path(DATA_COMPAT).asBoolean(false) && data.has("value")) {
                    out.set("data", data.get("value"));
                    ObjectNode m = meta.deepCopy();
                    m.remove(DATA_COMPAT);
                    if (!m.isEmpty()) {
                        out.set("metadata", m);
                    }
                    return out;
                }
                out.set("data", data);
            }
            default -> throw A2aException.invalidParams("unknown part kind: " + kind);
        }
        if (p.has("metadata")) {
            out.set("metadata", p.get("metadata"));
        }
        return out;
    }

    public static ObjectNode message10(JsonNode m) {
        if (m == null || !m.isObject()) {
            throw A2aException.invalidParams("message must be an object");
        }
        ObjectNode out = m.deepCopy();
        out.remove("kind");
        String role = text(m, "role");
        if ("user".equals(role)) {
            out.put("role", "ROLE_USER");
        } else if ("agent".equals(role)) {
            out.put("role", "ROLE_AGENT");
        }
        if (m.has("parts")) {
            ArrayNode parts = F.arrayNode();
            for (JsonNode p : m.get("parts")) {
                parts.add(part10(p));
            }
            out.set("parts", parts);
        }
        return out;
    }

    public static ObjectNode status10(JsonNode s) {
        ObjectNode out = s.deepCopy();
        TaskState st = TaskState.parse(text(s, "state"));
        out.put("state", (st == null ? TaskState.UNSPECIFIED : st).wire10());
        if (s.hasNonNull("message")) {
            out.set("message", message10(s.get("message")));
        }
        return out;
    }

    public static ObjectNode artifact10(JsonNode a) {
        ObjectNode out = a.deepCopy();
        if (a.has("parts")) {
            ArrayNode parts = F.arrayNode();
            for (JsonNode p : a.get("parts")) {
                parts.add(part10(p));
            }
            out.set("parts", parts);
        }
        return out;
    }

    public static ObjectNode task10(JsonNode t) {
        ObjectNode out = t.deepCopy();
        out.remove("kind");
        if (t.has("status")) {
            out.set("status", status10(t.get("status")));
        }
        mapArray(out, "artifacts", Wire::artifact10);
        mapArray(out, "history", Wire::message10);
        return out;
    }

    /** A 0.3 stream result (kind-tagged) -> a 1.0 StreamResponse. */
    public static ObjectNode streamResponse10(JsonNode r) {
        String kind = text(r, "kind");
        ObjectNode out = obj();
        if (kind == null) {
            return (ObjectNode) r.deepCopy();
        }
        switch (kind) {
            case "task" -> out.set("task", task10(r));
            case "message" -> out.set("message", message10(r));
            case "status-update" -> {
                ObjectNode e = r.deepCopy();
                e.remove("kind");
                e.remove("final");
                e.set("status", status10(r.path("status")));
                out.set("statusUpdate", e);
            }
            case "artifact-update" -> {
                ObjectNode e = r.deepCopy();
                e.remove("kind");
                e.set("artifact", artifact10(r.path("artifact")));
                out.set("artifactUpdate", e);
            }
            default -> throw new A2aException(A2aException.Kind.INVALID_AGENT_RESPONSE, "unknown event kind " + kind);
        }
        return out;
    }

    /** 0.3 SendMessage params -> 1.0. */
    public static ObjectNode sendParams10(JsonNode p) {
        ObjectNode out = p.deepCopy();
        if (p.has("message")) {
            out.set("message", message10(p.get("message")));
        }
        JsonNode c = p.get("configuration");
        if (c != null && c.isObject()) {
            ObjectNode conf = c.deepCopy();
            if (c.has("blocking")) {
                conf.remove("blocking");
                conf.put("returnImmediately", !c.path("blocking").asBoolean(true));
            }
            if (c.has("pushNotificationConfig")) {
                conf.remove("pushNotificationConfig");
                conf.set("taskPushNotificationConfig", pushConfig10(null, c.get("pushNotificationConfig")));
            }
            out.set("configuration", conf);
        }
        return out;
    }

    /** A 0.3 PushNotificationConfig (id, url, token, authentication{schemes, credentials}) -> 1.0 flat config. */
    public static ObjectNode pushConfig10(String taskId, JsonNode c) {
        ObjectNode out = obj();
        if (taskId != null) {
            out.put("taskId", taskId);
        }
        copy(c, out, "id", "url", "token");
        JsonNode auth = c.get("authentication");
        if (auth != null && auth.isObject()) {
            ObjectNode a = obj();
            JsonNode schemes = auth.get("schemes");
            if (schemes != null && schemes.isArray() && !schemes.isEmpty()) {
                a.put("scheme", schemes.get(0).asText());
            } else if (auth.has("scheme")) {
                a.put("scheme", auth.path("scheme").asText());
            }
            copy(auth, a, "credentials");
            out.set("authentication", a);
        }
        return out;
    }

    // ---- 1.0 -> 0.3 ------------------------------------------------------------------------------

    public static ObjectNode part03(JsonNode p) {
        ObjectNode out = obj();
        ObjectNode meta = p.has("metadata") ? (ObjectNode) p.get("metadata").deepCopy() : null;
        if (p.has("text")) {
            out.put("kind", "text");
            out.put("text", p.path("text").asText());
        } else if (p.has("raw") || p.has("url")) {
            out.put("kind", "file");
            ObjectNode file = obj();
            if (p.has("raw")) {
                file.put("bytes", p.path("raw").asText());
            } else {
                file.put("uri", p.path("url").asText());
            }
            if (p.hasNonNull("mediaType") && !p.path("mediaType").asText().isEmpty()) {
                file.put("mimeType", p.path("mediaType").asText());
            }
            if (p.hasNonNull("filename") && !p.path("filename").asText().isEmpty()) {
                file.put("name", p.path("filename").asText());
            }
            out.set("file", file);
        } else if (p.has("data")) {
            out.put("kind", "data");
            JsonNode data = p.get("data");
            if (data.isObject()) {
                out.set("data", data);
            } else {
                out.set("data", obj().set("value", data));
                meta = meta == null ? obj() : meta;
                meta.put(DATA_COMPAT, true);
            }
        } else if (p.has("kind")) {
            return (ObjectNode) p.deepCopy();
        } else {
            out.put("kind", "text");
            out.put("text", "");
        }
        if (meta != null) {
            out.set("metadata", meta);
        }
        return out;
    }

    public static ObjectNode message03(JsonNode m) {
        ObjectNode out = m.deepCopy();
        out.put("kind", "message");
        String role = text(m, "role");
        out.put("role", "ROLE_USER".equals(role) || "user".equals(role) ? "user" : "agent");
        ArrayNode parts = F.arrayNode();
        for (JsonNode p : m.path("parts")) {
            parts.add(part03(p));
        }
        out.set("parts", parts);
        return out;
    }

    public static ObjectNode status03(JsonNode s) {
        ObjectNode out = s.deepCopy();
        TaskState st = TaskState.parse(text(s, "state"));
        out.put("state", (st == null ? TaskState.UNSPECIFIED : st).wire03());
        if (s.hasNonNull("message")) {
            out.set("message", message03(s.get("message")));
        }
        return out;
    }

    public static ObjectNode artifact03(JsonNode a) {
        ObjectNode out = a.deepCopy();
        ArrayNode parts = F.arrayNode();
        for (JsonNode p : a.path("parts")) {
            parts.add(part03(p));
        }
        out.set("parts", parts);
        return out;
    }

    public static ObjectNode task03(JsonNode t) {
        ObjectNode out = t.deepCopy();
        out.put("kind", "task");
        out.set("status", status03(t.path("status")));
        mapArray(out, "artifacts", Wire::artifact03);
        mapArray(out, "history", Wire::message03);
        return out;
    }

    /** A 1.0 StreamResponse -> the 0.3 kind-tagged result; {@code final} marks the last event of a stream. */
    public static ObjectNode streamResult03(JsonNode r, boolean last) {
        if (r.has("task")) {
            return task03(r.get("task"));
        }
        if (r.has("message")) {
            return message03(r.get("message"));
        }
        if (r.has("statusUpdate")) {
            ObjectNode e = r.get("statusUpdate").deepCopy();
            ObjectNode out = obj();
            out.put("kind", "status-update");
            out.setAll(e);
            out.set("status", status03(e.path("status")));
            out.put("final", last);
            return out;
        }
        if (r.has("artifactUpdate")) {
            ObjectNode e = r.get("artifactUpdate").deepCopy();
            ObjectNode out = obj();
            out.put("kind", "artifact-update");
            out.setAll(e);
            out.set("artifact", artifact03(e.path("artifact")));
            return out;
        }
        return (ObjectNode) r.deepCopy();
    }

    /** A 1.0 SendMessage params -> 0.3 (for a 0.3 agent behind the broker). */
    public static ObjectNode sendParams03(JsonNode p) {
        ObjectNode out = obj();
        out.set("message", message03(p.path("message")));
        JsonNode c = p.get("configuration");
        if (c != null && c.isObject()) {
            ObjectNode conf = obj();
            conf.put("blocking", !c.path("returnImmediately").asBoolean(false));
            conf.set("acceptedOutputModes", c.has("acceptedOutputModes") ? c.get("acceptedOutputModes") : F.arrayNode());
            if (c.has("historyLength")) {
                conf.set("historyLength", c.get("historyLength"));
            }
            out.set("configuration", conf);
        }
        if (p.has("metadata")) {
            out.set("metadata", p.get("metadata"));
        }
        return out;
    }

    /** A 1.0 TaskPushNotificationConfig -> 0.3 {taskId, pushNotificationConfig}. */
    public static ObjectNode pushConfig03(JsonNode c) {
        ObjectNode inner = obj();
        copy(c, inner, "id", "url", "token");
        JsonNode auth = c.get("authentication");
        if (auth != null && auth.isObject()) {
            ObjectNode a = obj();
            a.set("schemes", auth.hasNonNull("scheme") ? F.arrayNode().add(auth.path("scheme").asText()) : F.arrayNode());
            copy(auth, a, "credentials");
            inner.set("authentication", a);
        }
        ObjectNode out = obj();
        out.put("taskId", text(c, "taskId"));
        out.set("pushNotificationConfig", inner);
        return out;
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static void mapArray(ObjectNode o, String field, java.util.function.Function<JsonNode, ObjectNode> f) {
        JsonNode arr = o.get(field);
        if (arr != null && arr.isArray()) {
            ArrayNode out = F.arrayNode();
            for (JsonNode e : arr) {
                out.add(f.apply(e));
            }
            o.set(field, out);
        }
    }

    public static void copy(JsonNode from, ObjectNode to, String... fields) {
        for (String f : fields) {
            JsonNode v = from.get(f);
            if (v != null && !v.isNull()) {
                to.set(f, v);
            }
        }
    }

    /** Iterates an object's members. */
    public static Iterator<Map.Entry<String, JsonNode>> fields(JsonNode n) {
        return n.fields();
    }
}
