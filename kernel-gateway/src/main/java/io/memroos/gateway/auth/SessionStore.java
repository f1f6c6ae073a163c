package io.memroos.gateway.auth;

import io.memroos.gateway.config.GatewayConfig;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Console sessions in gateway.db. Only SHA-256 of the session id is stored; the id itself lives
 * only in the operator's cookie. Blocking (JDBC): call it off the event loop.
 */
@Singleton
public class SessionStore {

    /** A new session: the id goes into the cookie, the CSRF token into every form. */
    public record NewSession(String id, String csrfToken, Instant expiresAt) {
        @Override
        public String toString() {
            return "NewSession[expiresAt=" + expiresAt + "]";
        }
    }

    /** A stored session. */
    public record Session(String idHash, String csrfToken, Instant expiresAt) {
    }

    private final DataSource dataSource;
    private final Duration ttl;

    SessionStore(DataSource dataSource, GatewayConfig config) {
        this.dataSource = dataSource;
        this.ttl = config.session().ttl();
    }

    public NewSession create() {
        String id = Hashes.randomToken(32);
        String csrf = Hashes.randomToken(32);
        Instant now = Instant.now();
        Instant expires = now.plus(ttl);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO sessions (id_hash, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, Hashes.sha256Hex(id));
            ps.setString(2, csrf);
            ps.setLong(3, now.toEpochMilli());
            ps.setLong(4, expires.toEpochMilli());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store a session in gateway.db", e);
        }
        return new NewSession(id, csrf, expires);
    }

    /** The live session for a cookie value, if any. */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id_hash, csrf_token, expires_at FROM sessions WHERE id_hash = ? AND expires_at > ?")) {
            ps.setString(1, Hashes.sha256Hex(id));
            ps.setLong(2, System.currentTimeMillis());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Session(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read sessions from gateway.db", e);
        }
    }

    public void delete(String idHash) {
        execute("DELETE FROM sessions WHERE id_hash = ?", idHash);
    }

    /** Removes expired sessions; returns how many. */
    public int purgeExpired() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE expires_at <= ?")) {
            ps.setLong(1, System.currentTimeMillis());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot purge sessions in gateway.db", e);
        }
    }

    /** Whether gateway.db answers (for readiness). */
    public boolean ping() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM sessions")) {
            ps.executeQuery().close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private void execute(String sql, String arg) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot update sessions in gateway.db", e);
        }
    }
}
