package io.memroos.memory.domain;

import io.memroos.memory.store.Filter;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a filter from its JSON form and validates it; every refusal names the offending field by its path
 * ({@code filter.and[1].op}).
 *
 * <pre>
 * {"and": [f, ...]} | {"or": [f, ...]} | {"not": f}
 * {"field": "metadata.topic" | "userId" | "sessionId" | "createdAt",
 *  "op": "eq" | "ne" | "in" | "range" | "contains",
 *  "value": scalar | [scalars] (in) | {"gt","gte","lt","lte"} (range)}
 * </pre>
 * {@code createdAt} values may be ISO-8601 instants or epoch milliseconds.
 */
public final class FilterParser {

    static final int MAX_DEPTH = 8;
    static final int MAX_CONDITIONS = 64;
    static final int MAX_IN = 100;
    private static final Pattern META_KEY = Pattern.compile("[A-Za-z0-9_\\-]{1,64}");
    private static final Set<String> TOP = Set.of("userId", "sessionId", "createdAt");

    private int conditions;

    private FilterParser() {
    }

    /** Null when {@code json} is null. */
    public static Filter parse(Object json, String path) {
        if (json == null) {
            return null;
        }
        return new FilterParser().node(json, path, 0);
    }

    private Filter node(Object json, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw MemoryException.invalid(path, "is nested deeper than " + MAX_DEPTH);
        }
        if (!(json instanceof Map<?, ?> m)) {
            throw MemoryException.invalid(path, "must be an object");
        }
        if (m.containsKey("and") || m.containsKey("or")) {
            String op = m.containsKey("and") ? "and" : "or";
            only(m, path, Set.of(op));
            Object list = m.get(op);
            if (!(list instanceof List<?> l) || l.isEmpty()) {
                throw MemoryException.invalid(path + "." + op, "must be a non-empty array of filters");
            }
            List<Filter> parts = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                parts.add(node(l.get(i), path + "." + op + "[" + i + "]", depth + 1));
            }
            return op.equals("and") ? new Filter.And(parts) : new Filter.Or(parts);
        }
        if (m.containsKey("not")) {
            only(m, path, Set.of("not"));
            return new Filter.Not(node(m.get("not"), path + ".not", depth + 1));
        }
        only(m, path, Set.of("field", "op", "value"));
        if (++conditions > MAX_CONDITIONS) {
            throw MemoryException.invalid(path, "a filter may hold at most " + MAX_CONDITIONS + " conditions");
        }
        Object f = m.get("field");
        if (!(f instanceof String field) || field.isBlank()) {
            throw MemoryException.invalid(path + ".field", "is required (userId, sessionId, createdAt or metadata.<key>)");
        }
        if (!TOP.contains(field) && !(field.startsWith("metadata.")
                && META_KEY.matcher(field.substring("metadata.".length())).matches())) {
            throw MemoryException.invalid(path + ".field",
                    "unknown field '" + field + "' (userId, sessionId, createdAt or metadata.<key>)");
        }
        Object o = m.get("op");
        Filter.Op op;
        try {
            op = Filter.Op.valueOf(String.valueOf(o).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw MemoryException.invalid(path + ".op", "must be one of eq, ne, in, range, contains");
        }
        if (o == null) {
            throw MemoryException.invalid(path + ".op", "must be one of eq, ne, in, range, contains");
        }
        if (!m.containsKey("value")) {
            throw MemoryException.invalid(path + ".value", "is required");
        }
        Object v = m.get("value");
        String vp = path + ".value";
        return new Filter.Cond(field, op, switch (op) {
            case EQ, NE, CONTAINS -> scalar(field, v, vp);
            case IN -> {
                if (!(v instanceof List<?> l) || l.isEmpty() || l.size() > MAX_IN) {
                    throw MemoryException.invalid(vp, "must be an array of 1 to " + MAX_IN + " values");
                }
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < l.size(); i++) {
                    out.add(scalar(field, l.get(i), vp + "[" + i + "]"));
                }
                yield out;
            }
            case RANGE -> range(field, v, vp);
        });
    }

    private static void only(Map<?, ?> m, String path, Set<String> allowed) {
        for (Object k : m.keySet()) {
            if (!allowed.contains(String.valueOf(k))) {
                throw MemoryException.invalid(path + "." + k, "unknown property");
            }
        }
    }

    private static Object scalar(String field, Object v, String path) {
        if ("createdAt".equals(field)) {
            return millis(v, path);
        }
        if (v instanceof String s) {
            if (s.length() > 500) {
                throw MemoryException.invalid(path, "is longer than 500");
            }
            return s;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw MemoryException.invalid(path, "must be a string, number or boolean");
    }

    private static Double millis(Object v, String path) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return (double) Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw MemoryException.invalid(path, "must be an ISO-8601 instant or epoch milliseconds");
            }
        }
        throw MemoryException.invalid(path, "must be an ISO-8601 instant or epoch milliseconds");
    }

    private static Filter.Range range(String field, Object v, String path) {
        if (!(v instanceof Map<?, ?> m) || m.isEmpty()) {
            throw MemoryException.invalid(path, "must be an object with gt, gte, lt and/or lte");
        }
        Double[] b = new Double[4];
        String[] names = {"gt", "gte", "lt", "lte"};
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String k = String.valueOf(e.getKey());
            int i = List.of(names).indexOf(k);
            if (i < 0) {
                throw MemoryException.invalid(path + "." + k, "unknown bound (gt, gte, lt, lte)");
            }
            Object x = e.getValue();
            if ("createdAt".equals(field)) {
                b[i] = millis(x, path + "." + k);
            } else if (x instanceof Number n) {
                b[i] = n.doubleValue();
            } else {
                throw MemoryException.invalid(path + "." + k, "must be a number");
            }
        }
        return new Filter.Range(b[0], b[1], b[2], b[3]);
    }
}
