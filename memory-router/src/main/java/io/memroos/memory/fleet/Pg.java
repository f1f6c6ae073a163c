package io.memroos.memory.fleet;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.memory.store.Receipt;
import io.memroos.memory.store.Scope;
import io.memroos.memory.store.StoreException;
import io.memroos.memory.sqlite.ReceiptOutbox;
import io.memroos.contract.outbox.Outbox;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Column codecs and small helpers of the PostgreSQL stores (the same encodings as the SQLite ones). */
final class Pg {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {
    };

    /** The key of the transaction advisory lock every records write takes: seq order is then commit order. */
    static final long WRITE_LOCK = 0x6d656d726f6f7301L;

    private Pg() {
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value == null ? Map.of() : value);
        } catch (Exception e) {
            throw StoreException.invalid("metadata", "cannot be written as JSON");
        }
    }

    static Map<String, Object> map(String json) {
        try {
            return json == null ? Map.of() : JSON.readValue(json, MAP);
        } catch (Exception e) {
            throw StoreException.failed("reading metadata", e);
        }
    }

    static List<String> list(String json) {
        try {
            return json == null ? List.of() : JSON.readValue(json, LIST);
        } catch (Exception e) {
            throw StoreException.failed("reading a list", e);
        }
    }

    static byte[] bytes(float[] v) {
        if (v == null) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    static float[] floats(byte[] b) {
        if (b == null) {
            return null;
        }
        float[] v = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    static String key(String v) {
        return v == null ? "" : v;
    }

    static String nullable(String v) {
        return v == null || v.isEmpty() ? null : v;
    }

    static Scope scope(ResultSet rs, String agent, String user, String session) throws SQLException {
        return new Scope(rs.getString(agent), nullable(rs.getString(user)),
                session == null ? null : nullable(rs.getString(session)));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static void setInstant(PreparedStatement st, int i, Instant at) throws SQLException {
        if (at == null) {
            st.setNull(i, java.sql.Types.BIGINT);
        } else {
            st.setLong(i, at.toEpochMilli());
        }
    }

    /** Takes the records write lock for the rest of the transaction (across every router instance). */
    static void lockWrites(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            st.setLong(1, WRITE_LOCK);
            st.execute();
        }
    }

    /** Appends a receipt (the SQLite store's governance event) to the outbox inside the caller's transaction. */
    static void receipt(Connection c, Receipt r, Instant at) throws SQLException {
        Outbox.append(c, ReceiptOutbox.event(r, at));
    }

    /** SHA-256 hex of the normalized text: the duplicate key. */
    static String hash(String normalized) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(normalized.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
