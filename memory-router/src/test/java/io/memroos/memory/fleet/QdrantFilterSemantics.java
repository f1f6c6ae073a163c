package io.memroos.memory.fleet;

import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Qdrant's documented filtering semantics, evaluated over a payload, for checking the translation without a
 * server (the suite against a real Qdrant runs when {@code QDRANT_URL} is set): a filter holds when every
 * {@code must} holds, at least one {@code should} holds (when there are any) and no {@code must_not} holds; a
 * field condition on an array holds when it holds for one element; {@code match.keyword}/{@code keywords}/
 * {@code boolean} compare exactly; {@code match.text} on a field without a full-text index is a substring test;
 * {@code range} compares numbers; {@code is_empty} holds for a missing, null or empty value; nested keys use dots.
 */
final class QdrantFilterSemantics {

    private QdrantFilterSemantics() {
    }

    static boolean matches(Points.Filter f, Map<String, Value> payload) {
        for (Points.Condition c : f.getMustList()) {
            if (!holds(c, payload)) {
                return false;
            }
        }
        if (f.getShouldCount() > 0 && f.getShouldList().stream().noneMatch(c -> holds(c, payload))) {
            return false;
        }
        return f.getMustNotList().stream().noneMatch(c -> holds(c, payload));
    }

    static boolean holds(Points.Condition c, Map<String, Value> payload) {
        if (c.hasFilter()) {
            return matches(c.getFilter(), payload);
        }
        if (c.hasIsEmpty()) {
            return values(payload, c.getIsEmpty().getKey()).isEmpty();
        }
        if (!c.hasField()) {
            throw new IllegalArgumentException("condition not modelled: " + c);
        }
        Points.FieldCondition fc = c.getField();
        List<Value> vs = values(payload, fc.getKey());
        if (fc.hasRange()) {
            Points.Range r = fc.getRange();
            return vs.stream().anyMatch(v -> {
                Double d = v.hasDoubleValue() ? Double.valueOf(v.getDoubleValue())
                        : v.hasIntegerValue() ? Double.valueOf(v.getIntegerValue()) : null;
                return d != null && (!r.hasGt() || d > r.getGt()) && (!r.hasGte() || d >= r.getGte())
                        && (!r.hasLt() || d < r.getLt()) && (!r.hasLte() || d <= r.getLte());
            });
        }
        Points.Match m = fc.getMatch();
        return switch (m.getMatchValueCase()) {
            case KEYWORD -> vs.stream().anyMatch(v -> v.hasStringValue() && v.getStringValue().equals(m.getKeyword()));
            case KEYWORDS -> vs.stream().anyMatch(v -> v.hasStringValue()
                    && m.getKeywords().getStringsList().contains(v.getStringValue()));
            case BOOLEAN -> vs.stream().anyMatch(v -> v.hasBoolValue() && v.getBoolValue() == m.getBoolean());
            case TEXT -> vs.stream().anyMatch(v -> v.hasStringValue() && v.getStringValue().contains(m.getText()));
            default -> throw new IllegalArgumentException("match not modelled: " + m);
        };
    }

    /** The values at a dotted key; arrays are flattened one level. */
    static List<Value> values(Map<String, Value> payload, String key) {
        String[] parts = key.split("\\.");
        Value v = payload.get(parts[0]);
        for (int i = 1; i < parts.length && v != null; i++) {
            v = v.hasStructValue() ? v.getStructValue().getFieldsMap().get(parts[i]) : null;
        }
        List<Value> out = new ArrayList<>();
        if (v == null || v.hasNullValue()) {
            return out;
        }
        if (v.hasListValue()) {
            out.addAll(v.getListValue().getValuesList());
        } else {
            out.add(v);
        }
        return out;
    }
}
