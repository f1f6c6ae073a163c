package io.memroos.memory.fleet;

import io.memroos.memory.store.IndexDoc;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static io.qdrant.client.ValueFactory.list;
import static io.qdrant.client.ValueFactory.value;

/**
 * How a memory becomes a Qdrant point. Qdrant ids are unsigned integers or UUIDs, fact ids are free strings:
 * the point id is the name-based (v3) UUID of {@code "memroos-fact:" + id}, stable across restarts and
 * instances, and the fact id itself travels in the payload ({@code id}). The payload holds the scope
 * ({@code agentId}, {@code userId}, {@code sessionId}; absent when none), {@code createdAt} (epoch millis),
 * {@code metadata} (numbers as floats, so 5 and 5.0 compare equal) and {@code lc}, lower-cased string copies of
 * every filterable field for case-insensitive CONTAINS.
 */
public final class QdrantPoints {

    public static final String ID = "id";
    public static final String AGENT = "agentId";
    public static final String USER = "userId";
    public static final String SESSION = "sessionId";
    public static final String CREATED = "createdAt";
    public static final String METADATA = "metadata";

    /** The point that records the index's model, dimension and applied change counter (no scope: never found). */
    public static final UUID META_POINT = UUID.nameUUIDFromBytes("memroos-index-meta".getBytes(StandardCharsets.UTF_8));

    private QdrantPoints() {
    }

    /** The point id of a fact id. */
    public static UUID pointId(String factId) {
        return UUID.nameUUIDFromBytes(("memroos-fact:" + factId).getBytes(StandardCharsets.UTF_8));
    }

    public static Points.PointId grpcId(String factId) {
        return io.qdrant.client.PointIdFactory.id(pointId(factId));
    }

    public static Map<String, Value> payload(IndexDoc d) {
        Map<String, Value> p = new LinkedHashMap<>();
        Map<String, Value> lc = new LinkedHashMap<>();
        p.put(ID, value(d.id()));
        p.put(AGENT, value(d.scope().agentId()));
        lc.put(AGENT, value(d.scope().agentId().toLowerCase(Locale.ROOT)));
        if (d.scope().userId() != null) {
            p.put(USER, value(d.scope().userId()));
            lc.put(USER, value(d.scope().userId().toLowerCase(Locale.ROOT)));
        }
        if (d.scope().sessionId() != null) {
            p.put(SESSION, value(d.scope().sessionId()));
            lc.put(SESSION, value(d.scope().sessionId().toLowerCase(Locale.ROOT)));
        }
        p.put(CREATED, value(d.createdAtMillis()));
        Map<String, Value> meta = new LinkedHashMap<>();
        Map<String, Value> metaLc = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : d.metadata().entrySet()) {
            Value v = toValue(e.getValue());
            if (v != null) {
                meta.put(e.getKey(), v);
            }
            Value s = shadow(e.getValue());
            if (s != null) {
                metaLc.put(e.getKey(), s);
            }
        }
        p.put(METADATA, value(meta));
        lc.put(METADATA, value(metaLc));
        p.put(QdrantFilters.SHADOW, value(lc));
        return p;
    }

    /** A metadata value as a payload value: strings, floats, booleans and lists of them (maps are not filterable). */
    static Value toValue(Object o) {
        if (o instanceof String s) {
            return value(s);
        }
        if (o instanceof Boolean b) {
            return value(b);
        }
        if (o instanceof Number n) {
            return value(n.doubleValue());
        }
        if (o instanceof List<?> l) {
            List<Value> out = new ArrayList<>();
            for (Object x : l) {
                Value v = x instanceof List<?> ? null : toValue(x);
                if (v != null) {
                    out.add(v);
                }
            }
            return list(out);
        }
        return null;
    }

    /** The lower-cased text of a value (as {@code String.valueOf}, the reference CONTAINS), or of each element. */
    static Value shadow(Object o) {
        if (o == null || o instanceof Map<?, ?>) {
            return null;
        }
        if (o instanceof List<?> l) {
            List<Value> out = new ArrayList<>();
            for (Object x : l) {
                if (x != null && !(x instanceof Map<?, ?>) && !(x instanceof List<?>)) {
                    out.add(value(String.valueOf(x).toLowerCase(Locale.ROOT)));
                }
            }
            return list(out);
        }
        return value(String.valueOf(o).toLowerCase(Locale.ROOT));
    }
}
