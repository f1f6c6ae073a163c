package io.memroos.a2a.store;

import com.fasterxml.jackson.databind.ObjectMapper;

import javax.sql.DataSource;
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
import java.util.function.Function;

/** The embedded store: one SQLite file (WAL mode, busy timeout) behind a JDBC data source. */
public final class SqliteTaskStore extends SqlTaskStore {

    private static final int SQLITE_CONSTRAINT = 19;

    private final DataSource dataSource;

    public SqliteTaskStore(DataSource dataSource, ObjectMapper json) {
        super(json);
        this.dataSource = dataSource;
    }

    @Override
    Sql sql() {
        return new Sql() {
            @Override
            public List<Map<String, Object>> query(String sql, Object... params) {
                try (Connection c = dataSource.getConnection()) {
                    return SqliteTaskStore.query(c, sql, params);
                } catch (SQLException e) {
                    throw failure(e);
                }
            }

            @Override
            public int update(String sql, Object... params) {
                // Writes go through the one writer connection, so they never race a transaction for the lock.
                return transaction(tx -> tx.update(sql, params));
            }
        };
    }

    @Override
    String lockClause() {
        return "";
    }

    /** SQLite has one writer: writers queue here rather than fail to upgrade a read transaction. */
    private final java.util.concurrent.locks.ReentrantLock writeLock = new java.util.concurrent.locks.ReentrantLock();
    /** The writer connection (auto-commit off), kept open with its prepared statements; guarded by writeLock. */
    private Connection writer;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    @Override
    <T> T transaction(Function<Sql, T> work) {
        writeLock.lock();
        try {
            return inTransaction(work);
        } finally {
            writeLock.unlock();
        }
    }

    private Connection writer() throws SQLException {
        if (writer == null) {
            Connection c = dataSource.getConnection();
            c.setAutoCommit(false);
            writer = c;
        }
        return writer;
    }

    private PreparedStatement cached(String sql, Object... params) throws SQLException {
        PreparedStatement st = statements.get(sql);
        if (st == null) {
            st = writer().prepareStatement(sql);
            statements.put(sql, st);
        } else {
            st.clearParameters();
        }
        for (int i = 0; i < params.length; i++) {
            st.setObject(i + 1, params[i]);
        }
        return st;
    }

    /** Drops the writer connection and its statements after a failure; the next transaction opens a new one. */
    private void resetWriter() {
        for (PreparedStatement st : statements.values()) {
            try {
                st.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        statements.clear();
        if (writer != null) {
            try {
                writer.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
            writer = null;
        }
    }

    private <T> T inTransaction(Function<Sql, T> work) {
        Connection c;
        try {
            c = writer();
        } catch (SQLException e) {
            resetWriter();
            throw failure(e);
        }
        try {
            T result = work.apply(new Sql() {
                @Override
                public List<Map<String, Object>> query(String sql, Object... params) {
                    try (ResultSet rs = cached(sql, params).executeQuery()) {
                        return rows(rs);
                    } catch (SQLException e) {
                        throw failure(e);
                    }
                }

                @Override
                public int update(String sql, Object... params) {
                    try {
                        return cached(sql, params).executeUpdate();
                    } catch (SQLException e) {
                        throw failure(e);
                    }
                }
            });
            c.commit();
            return result;
        } catch (RuntimeException e) {
            rollback(c);
            throw e;
        } catch (SQLException e) {
            rollback(c);
            throw failure(e);
        }
    }

    private void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            resetWriter();
        }
    }

    private static List<Map<String, Object>> query(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement st = prepare(c, sql, params); ResultSet rs = st.executeQuery()) {
            return rows(rs);
        }
    }

    private static List<Map<String, Object>> rows(ResultSet rs) throws SQLException {
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

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement st = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            st.setObject(i + 1, params[i]);
        }
        return st;
    }

    private static RuntimeException failure(SQLException e) {
        if (e.getErrorCode() == SQLITE_CONSTRAINT && String.valueOf(e.getMessage()).contains("UNIQUE")) {
            return new Sql.UniqueViolation(e.getMessage(), e);
        }
        return new IllegalStateException("SQLite store failed: " + e.getMessage(), e);
    }
}
