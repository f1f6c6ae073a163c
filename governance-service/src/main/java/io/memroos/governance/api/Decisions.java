package io.memroos.governance.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.memroos.governance.domain.DecisionRequest;
import io.memroos.governance.domain.GovException;
import io.memroos.governance.domain.PolicyService;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the decision request contract (docs/internal-contract.md, "Governance") into a {@link DecisionRequest}. */
final class Decisions {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:@/-]{1,200}");

    private Decisions() {
    }

    static DecisionRequest request(JsonNode body, PolicyService policies) {
        PolicyResource.object(body, Set.of("actor", "action", "asset", "purpose", "context"));
        JsonNode actor = body.get("actor");
        if (actor == null || !actor.isObject()) {
            throw GovException.invalid("actor", "is required: {type: operator|agent|service, id}");
        }
        only(actor, "actor.", Set.of("type", "id"));
        String actorType = text(actor, "type", "actor.", true);
        if (!Set.of("operator", "agent", "service").contains(actorType)) {
            throw GovException.invalid("actor.type", "must be operator, agent or service");
        }
        String actorId = text(actor, "id", "actor.", !actorType.equals("operator"));
        if (actorId == null) {
            actorId = "operator";
        }
        String action = text(body, "action", "", true);
        JsonNode asset = body.get("asset");
        if (asset == null || !asset.isObject()) {
            throw GovException.invalid("asset", "is required: {type, id, owner?, label?}");
        }
        only(asset, "asset.", Set.of("type", "id", "owner", "label"));
        String assetType = text(asset, "type", "asset.", true);
        String assetId = text(asset, "id", "asset.", true);
        String owner = text(asset, "owner", "asset.", false);
        String label = text(asset, "label", "asset.", false);
        JsonNode purposeNode = body.get("purpose");
        String purpose = null;
        if (purposeNode != null && !purposeNode.isNull()) {
            if (!purposeNode.isTextual() || purposeNode.textValue().length() > 500
                    || purposeNode.textValue().chars().anyMatch(c -> c < 0x20)) {
                throw GovException.invalid("purpose", "must be a string of at most 500 characters, no control characters");
            }
            purpose = purposeNode.textValue();
        }
        Map<String, Object> context = new LinkedHashMap<>();
        JsonNode ctx = body.get("context");
        if (ctx != null && !ctx.isNull()) {
            if (!ctx.isObject()) {
                throw GovException.invalid("context", "must be a JSON object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = ctx.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                context.put(e.getKey(), value(e.getValue(), "context." + e.getKey(), 0));
            }
        }
        return new DecisionRequest(actorType, actorId, action, assetType, assetId, owner, label, purpose, context);
    }

    /** A JSON value as a Cedar value: string, long, boolean, set (array), record (object). */
    static Object value(JsonNode v, String field, int depth) {
        if (depth > 8) {
            throw GovException.invalid(field, "is nested too deeply");
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isArray()) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                out.add(value(v.get(i), field + "[" + i + "]", depth + 1));
            }
            return out;
        }
        if (v.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), value(e.getValue(), field + "." + e.getKey(), depth + 1));
            }
            return out;
        }
        throw GovException.invalid(field, "must be a string, whole number, boolean, array or object");
    }

    private static void only(JsonNode node, String prefix, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw GovException.invalid(prefix + name, "unknown property");
            }
        }
    }

    private static String text(JsonNode node, String name, String prefix, boolean required) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                throw GovException.invalid(prefix + name, "is required");
            }
            return null;
        }
        if (!v.isTextual() || !TOKEN.matcher(v.textValue()).matches()) {
            throw GovException.invalid(prefix + name, "must be 1-200 characters of letters, digits and . _ : @ / -");
        }
        return v.textValue();
    }
}
