package io.memroos.contract.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The outbox over JDBC: each call takes a connection, runs one auto-committed statement and gives it back. */
public final class JdbcOutboxStore implements OutboxStore {

    /** Where connections come from; {@code dataSource::getConnection} fits. */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }

    private final Connections connections;

    public JdbcOutboxStore(Connections connections) {
        this.connections = connections;
    }

    @Override
    public List<PendingEvent> fetchPending(int limit) {
        try (Connection c = connections.open(); PreparedStatement st = c.prepareStatement(OutboxSql.FETCH_PENDING)) {
            st.setInt(1, limit);
            List<PendingEvent> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new PendingEvent(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("fetch pending", e);
        }
    }

    @Override
    public void markDelivered(List<Long> seqs, Instant at) {
        if (seqs.isEmpty()) {
            return;
        }
        try (Connection c = connections.open();
             PreparedStatement st = c.prepareStatement(OutboxSql.markDelivered(seqs.size()))) {
            st.setLong(1, at.toEpochMilli());
            for (int i = 0; i < seqs.size(); i++) {
                st.setLong(i + 2, seqs.get(i));
            }
            st.executeUpdate();
            commitIfNeeded(c);
        } catch (SQLException e) {
            throw failure("mark delivered", e);
        }
    }

    @Override
    public void park(long seq, String error, Instant at) {
        try (Connection c = connections.open(); PreparedStatement st = c.prepareStatement(OutboxSql.PARK)) {
            st.setLong(1, at.toEpochMilli());
            st.setString(2, error);
            st.setLong(3, seq);
            st.executeUpdate();
            commitIfNeeded(c);
        } catch (SQLException e) {
            throw failure("park", e);
        }
    }

    @Override
    public int requeueParked() {
        return update("requeue", OutboxSql.REQUEUE_PARKED, null);
    }

    @Override
    public long countPending() {
        return count(OutboxSql.COUNT_PENDING);
    }

    @Override
    public long countParked() {
        return count(OutboxSql.COUNT_PARKED);
    }

    @Override
    public int purgeDelivered(Instant before) {
        return update("purge", OutboxSql.PURGE_DELIVERED, before.toEpochMilli());
    }

    private int update(String what, String sql, Long param) {
        try (Connection c = connections.open(); PreparedStatement st = c.prepareStatement(sql)) {
            if (param != null) {
                st.setLong(1, param);
            }
            int n = st.executeUpdate();
            commitIfNeeded(c);
            return n;
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private long count(String sql) {
        try (Connection c = connections.open(); PreparedStatement st = c.prepareStatement(sql);
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw failure("count", e);
        }
    }

    private static void commitIfNeeded(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    private static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("outbox " + what + " failed: " + e.getMessage(), e);
    }
}
