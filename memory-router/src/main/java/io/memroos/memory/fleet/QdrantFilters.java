package io.memroos.memory.fleet;

import io.memroos.memory.store.Filter;
import io.memroos.memory.store.Scope;
import io.qdrant.client.grpc.Points;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.qdrant.client.ConditionFactory.filter;
import static io.qdrant.client.ConditionFactory.match;
import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.ConditionFactory.matchKeywords;
import static io.qdrant.client.ConditionFactory.matchText;
import static io.qdrant.client.ConditionFactory.range;

/**
 * Translates the scope and a {@link Filter} into a Qdrant filter with the semantics of {@link Filter#matches}
 * over the payload {@link QdrantPoints#payload} writes:
 * <ul>
 *   <li>EQ: a keyword match for strings, a boolean match for booleans, a closed one-point range for numbers
 *       (numbers are stored as floats, so 5 and 5.0 are equal); on a list, any element.</li>
 *   <li>NE: {@code must_not} of EQ (a missing field is "not equal", as in the reference).</li>
 *   <li>IN: a keywords match when every value is a string, else {@code should} of EQs.</li>
 *   <li>RANGE: a numeric range with the given open/closed bounds.</li>
 *   <li>CONTAINS: a text match on the lower-cased shadow copy ({@code lc.<field>}) with the lower-cased needle;
 *       there is no full-text index on {@code lc}, so Qdrant matches it as a plain substring.</li>
 *   <li>AND / OR / NOT: nested filters with {@code must} / {@code should} / {@code must_not}; an empty OR
 *       matches nothing, an empty AND everything.</li>
 * </ul>
 * The scope is always a {@code must}: the agent, and the user and session when the scope names them.
 */
public final class QdrantFilters {

    /** The payload key of the lower-cased copies that CONTAINS searches. */
    public static final String SHADOW = "lc";

    private QdrantFilters() {
    }

    /** The whole search filter: the scope, then the caller's filter (null = none). */
    public static Points.Filter of(Scope scope, Filter f) {
        Points.Filter.Builder b = Points.Filter.newBuilder()
                .addMust(matchKeyword(QdrantPoints.AGENT, scope.agentId()));
        if (scope.userId() != null) {
            b.addMust(matchKeyword(QdrantPoints.USER, scope.userId()));
        }
        if (scope.sessionId() != null) {
            b.addMust(matchKeyword(QdrantPoints.SESSION, scope.sessionId()));
        }
        if (f != null) {
            b.addMust(condition(f));
        }
        return b.build();
    }

    /** Only the agent: what {@code deleteAgent} removes. */
    public static Points.Filter agent(String agentId) {
        return Points.Filter.newBuilder().addMust(matchKeyword(QdrantPoints.AGENT, agentId)).build();
    }

    /** One filter node as a Qdrant condition. */
    public static Points.Condition condition(Filter f) {
        if (f instanceof Filter.And a) {
            Points.Filter.Builder b = Points.Filter.newBuilder();
            a.all().forEach(x -> b.addMust(condition(x)));
            return filter(b.build());
        }
        if (f instanceof Filter.Or o) {
            if (o.any().isEmpty()) {
                return nothing();
            }
            Points.Filter.Builder b = Points.Filter.newBuilder();
            o.any().forEach(x -> b.addShould(condition(x)));
            return filter(b.build());
        }
        if (f instanceof Filter.Not n) {
            return not(condition(n.filter()));
        }
        Filter.Cond c = (Filter.Cond) f;
        String key = payloadKey(c.field());
        return switch (c.op()) {
            case EQ -> eq(key, c.value());
            case NE -> not(eq(key, c.value()));
            case IN -> in(key, (List<?>) c.value());
            case RANGE -> range(key, bounds((Filter.Range) c.value()));
            case CONTAINS -> matchText(SHADOW + "." + key, String.valueOf(c.value()).toLowerCase(Locale.ROOT));
        };
    }

    /**
     * The payload key of a filter field: {@code userId}, {@code sessionId}, {@code agentId}, {@code createdAt}
     * as they are, {@code metadata.<key>} nested under {@code metadata}; any other field names a key no point
     * has (the reference gives it no value).
     */
    public static String payloadKey(String field) {
        return switch (field) {
            case "userId" -> QdrantPoints.USER;
            case "sessionId" -> QdrantPoints.SESSION;
            case "agentId" -> QdrantPoints.AGENT;
            case "createdAt" -> QdrantPoints.CREATED;
            default -> field.startsWith("metadata.") && field.length() > "metadata.".length() ? field
                    : "unknown_field." + field.replace('.', '_');
        };
    }

    static Points.Condition eq(String key, Object value) {
        if (value instanceof Boolean b) {
            return match(key, b);
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return range(key, Points.Range.newBuilder().setGte(d).setLte(d).build());
        }
        return matchKeyword(key, String.valueOf(value));
    }

    static Points.Condition in(String key, List<?> values) {
        if (values.isEmpty()) {
            return nothing();
        }
        if (values.stream().allMatch(v -> v instanceof String)) {
            List<String> keywords = new ArrayList<>();
            values.forEach(v -> keywords.add((String) v));
            return matchKeywords(key, keywords);
        }
        Points.Filter.Builder b = Points.Filter.newBuilder();
        values.forEach(v -> b.addShould(eq(key, v)));
        return filter(b.build());
    }

    static Points.Range bounds(Filter.Range r) {
        Points.Range.Builder b = Points.Range.newBuilder();
        if (r.gt() != null) {
            b.setGt(r.gt());
        }
        if (r.gte() != null) {
            b.setGte(r.gte());
        }
        if (r.lt() != null) {
            b.setLt(r.lt());
        }
        if (r.lte() != null) {
            b.setLte(r.lte());
        }
        return b.build();
    }

    static Points.Condition not(Points.Condition c) {
        return filter(Points.Filter.newBuilder().addMustNot(c).build());
    }

    /** A condition no point satisfies: not (the empty filter, which every point satisfies). */
    static Points.Condition nothing() {
        return not(filter(Points.Filter.getDefaultInstance()));
    }
}
