package io.memroos.governance.domain;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/** Validation of JSON request bodies field by field, naming the field ({@code events[3].id}) when refused. */
final class Fields {

    static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:@/-]{1,200}");

    private Fields() {
    }

    static void object(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            throw GovException.invalid(field.isEmpty() ? "body" : field, "must be a JSON object");
        }
    }

    static void only(JsonNode node, String prefix, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw GovException.invalid(prefix + name, "unknown property");
            }
        }
    }

    static String text(JsonNode node, String name, String prefix, boolean required, int max) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                throw GovException.invalid(prefix + name, "is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw GovException.invalid(prefix + name, "must be a string");
        }
        String s = v.textValue();
        if (required && s.isBlank()) {
            throw GovException.invalid(prefix + name, "must not be blank");
        }
        if (s.length() > max) {
            throw GovException.invalid(prefix + name, "must be at most " + max + " characters");
        }
        return s;
    }

    static String token(JsonNode node, String name, String prefix, boolean required) {
        String s = text(node, name, prefix, required, 200);
        if (s != null && !TOKEN.matcher(s).matches()) {
            throw GovException.invalid(prefix + name, "must be 1-200 characters of letters, digits and . _ : @ / -");
        }
        return s;
    }

    static Long whole(JsonNode node, String name, String prefix, boolean required) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                throw GovException.invalid(prefix + name, "is required");
            }
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
            throw GovException.invalid(prefix + name, "must be a whole number >= 0");
        }
        return v.longValue();
    }

    static Double number(JsonNode node, String name, String prefix) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || v.doubleValue() < 0 || Double.isInfinite(v.doubleValue())) {
            throw GovException.invalid(prefix + name, "must be a number >= 0");
        }
        return v.doubleValue();
    }

    static String actor(String field, String actor) {
        if (actor.equals("operator")) {
            return null;
        }
        int colon = actor.indexOf(':');
        String kind = colon < 0 ? "" : actor.substring(0, colon);
        String id = colon < 0 ? "" : actor.substring(colon + 1);
        if (!(kind.equals("agent") || kind.equals("service")) || id.isEmpty() || !TOKEN.matcher(id).matches()) {
            throw GovException.invalid(field, "must be operator, agent:<id> or service:<name>");
        }
        return kind.equals("agent") ? id : null;
    }
}
