package io.memroos.contract.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One connection's worth of statements with positional {@code ?} parameters; rows come back as maps keyed by
 * lowercase column label. Prepared statements are cached for the life of the Tx (for the write lane: the
 * life of its connection).
 */
public final class Tx implements AutoCloseable {

    /** A unique constraint refused a write. */
    public static final class UniqueViolation extends RuntimeException {
        UniqueViolation(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private final Connection connection;
    private final boolean postgres;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    public Tx(Connection connection, boolean postgres) {
        this.connection = connection;
        this.postgres = postgres;
    }

    public Connection connection() {
        return connection;
    }

    public List<Map<String, Object>> query(String sql, Object... params) {
        try {
            PreparedStatement st = prepare(sql, params);
            try (ResultSet rs = st.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                int n = meta.getColumnCount();
                String[] labels = new String[n];
                for (int i = 0; i < n; i++) {
                    labels[i] = meta.getColumnLabel(i + 1).toLowerCase(Locale.ROOT);
                }
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>(n * 2);
                    for (int i = 0; i < n; i++) {
                        row.put(labels[i], rs.getObject(i + 1));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    public Map<String, Object> one(String sql, Object... params) {
        List<Map<String, Object>> rows = query(sql, params);
        return rows.isEmpty() ? null : rows.get(0);
    }

    public int update(String sql, Object... params) {
        try {
            return prepare(sql, params).executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    public void batch(String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        if (rows.size() == 1) {
            update(sql, rows.get(0));
            return;
        }
        try {
            PreparedStatement st = statement(sql);
            for (Object[] params : rows) {
                bind(st, params);
                st.addBatch();
            }
            st.executeBatch();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private PreparedStatement prepare(String sql, Object... params) throws SQLException {
        PreparedStatement st = statement(sql);
        bind(st, params);
        return st;
    }

    private PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement st = statements.get(sql);
        if (st == null) {
            st = connection.prepareStatement(sql);
            statements.put(sql, st);
        } else {
            st.clearParameters();
        }
        return st;
    }

    private static void bind(PreparedStatement st, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p == null) {
                st.setNull(i + 1, java.sql.Types.NULL);
            } else {
                st.setObject(i + 1, p);
            }
        }
    }

    /** Forgets every cached statement (closing them). */
    @Override
    public void close() {
        for (PreparedStatement st : statements.values()) {
            try {
                st.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        statements.clear();
    }

    private RuntimeException failure(SQLException e) {
        String state = e.getSQLState();
        boolean unique = postgres ? "23505".equals(state)
                : e.getErrorCode() == 19 && String.valueOf(e.getMessage()).contains("UNIQUE");
        if (unique) {
            return new UniqueViolation(e.getMessage(), e);
        }
        return new IllegalStateException((postgres ? "PostgreSQL" : "SQLite") + " store failed: " + e.getMessage(), e);
    }
}
