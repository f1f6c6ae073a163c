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
                try (Connection c = dataSource.getConnection()) {
                    return SqliteTaskStore.update(c, sql, params);
                } catch (SQLException e) {
                    throw failure(e);
                }
            }
        };
    }

    @Override
    String lockClause() {
        return "";
    }

    /** SQLite has one writer: writers queue here rather than fail to upgrade a read transaction. */
    private final java.util.concurrent.locks.ReentrantLock writeLock = new java.util.concurrent.locks.ReentrantLock();

    @Override
    <T> T transaction(Function<Sql, T> work) {
        writeLock.lock();
        try {
            return inTransaction(work);
        } finally {
            writeLock.unlock();
        }
    }

    private <T> T inTransaction(Function<Sql, T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.apply(new Sql() {
                    @Override
                    public List<Map<String, Object>> query(String sql, Object... params) {
                        try {
                            return SqliteTaskStore.query(c, sql, params);
                        } catch (SQLException e) {
                            throw failure(e);
                        }
                    }

                    @Override
                    public int update(String sql, Object... params) {
                        try {
                            return SqliteTaskStore.update(c, sql, params);
                        } catch (SQLException e) {
                            throw failure(e);
                        }
                    }
                });
                c.commit();
                return result;
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static List<Map<String, Object>> query(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement st = prepare(c, sql, params); ResultSet rs = st.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement st = prepare(c, sql, params)) {
            return st.executeUpdate();
        }
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
