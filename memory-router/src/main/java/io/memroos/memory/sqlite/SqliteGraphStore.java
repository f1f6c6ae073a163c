package io.memroos.memory.sqlite;

import io.memroos.memory.store.Entity;
import io.memroos.memory.store.GraphStore;
import io.memroos.memory.store.InventoryRow;
import io.memroos.memory.store.Relation;
import io.memroos.memory.store.Scope;
import io.memroos.memory.store.StoreException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/** The graph in SQLite: entities keyed by (agent, user, normalized name), relations within one such scope. */
public final class SqliteGraphStore implements GraphStore {

    private final DataSource dataSource;
    private final ReentrantLock writer;

    public SqliteGraphStore(DataSource dataSource, ReentrantLock writer) {
        this.dataSource = dataSource;
        this.writer = writer;
    }

    /** The graph's scope: agent and user; sessions share what they learn about a user. */
    static Scope graphScope(Scope s) {
        return new Scope(s.agentId(), s.userId(), null);
    }

    static String norm(String name) {
        return name.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    @Override
    public Entity upsertEntity(Scope scope, String name, String type, Map<String, Object> properties, Instant at) {
        if (name == null || name.isBlank()) {
            throw StoreException.invalid("name", "must not be blank");
        }
        if (name.length() > 200) {
            throw StoreException.invalid("name", "is longer than 200");
        }
        Scope g = graphScope(scope);
        writer.lock();
        try (Connection c = dataSource.getConnection()) {
            Optional<Entity> existing = byName(c, g, norm(name));
            if (existing.isPresent()) {
                Entity e = existing.get();
                Map<String, Object> props = new LinkedHashMap<>(e.properties());
                if (properties != null) {
                    props.putAll(properties);
                }
                try (PreparedStatement st = c.prepareStatement(
                        "UPDATE entities SET type = COALESCE(?, type), properties = ?, invalidated_at = NULL WHERE id = ?")) {
                    st.setString(1, type);
                    st.setString(2, Rows.json(props));
                    st.setString(3, e.id());
                    st.executeUpdate();
                }
                return entity(c, e.id()).orElseThrow();
            }
            String id = "ent_" + UUID.randomUUID().toString().replace("-", "");
            try (PreparedStatement st = c.prepareStatement("INSERT INTO entities (id, agent_id, user_id, name, name_norm, "
                    + "type, properties, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                st.setString(1, id);
                st.setString(2, g.agentId());
                st.setString(3, Rows.key(g.userId()));
                st.setString(4, name.strip());
                st.setString(5, norm(name));
                st.setString(6, type);
                st.setString(7, Rows.json(properties));
                st.setLong(8, at.toEpochMilli());
                st.executeUpdate();
            }
            return entity(c, id).orElseThrow();
        } catch (SQLException e) {
            throw StoreException.failed("entity", e);
        } finally {
            writer.unlock();
        }
    }

    private static Optional<Entity> byName(Connection c, Scope g, String normName) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT * FROM entities WHERE agent_id = ? AND user_id = ? AND name_norm = ?")) {
            st.setString(1, g.agentId());
            st.setString(2, Rows.key(g.userId()));
            st.setString(3, normName);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(entity(rs)) : Optional.empty();
            }
        }
    }

    private static Optional<Entity> entity(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM entities WHERE id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(entity(rs)) : Optional.empty();
            }
        }
    }

    private static Entity entity(ResultSet rs) throws SQLException {
        return new Entity(rs.getString("id"), Rows.scope(rs, "agent_id", "user_id", null), rs.getString("name"),
                rs.getString("type"), Rows.map(rs.getString("properties")), Rows.instant(rs, "created_at"),
                Rows.instant(rs, "invalidated_at"));
    }

    @Override
    public Optional<Entity> entity(String id) {
        try (Connection c = dataSource.getConnection()) {
            return entity(c, id);
        } catch (SQLException e) {
            throw StoreException.failed("entity", e);
        }
    }

    @Override
    public List<Entity> entitiesIn(Scope scope, String text, int limit) {
        String hay = " " + text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ") + " ";
        List<Entity> out = new ArrayList<>();
        for (Entity e : entities(scope, null, 10_000)) {
            String needle = " " + norm(e.name()).replaceAll("[^\\p{L}\\p{N}]+", " ").strip() + " ";
            if (needle.isBlank() || !hay.contains(needle)) {
                continue;
            }
            out.add(e);
            if (out.size() == limit) {
                break;
            }
        }
        return out;
    }

    @Override
    public List<Entity> entities(Scope scope, String namePrefix, int limit) {
        Scope g = graphScope(scope);
        String sql = "SELECT * FROM entities WHERE agent_id = ? AND user_id = ? AND invalidated_at IS NULL"
                + (namePrefix == null ? "" : " AND name_norm >= ? AND name_norm < ?") + " ORDER BY name_norm LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            int i = 1;
            st.setString(i++, g.agentId());
            st.setString(i++, Rows.key(g.userId()));
            if (namePrefix != null) {
                String p = norm(namePrefix);
                st.setString(i++, p);
                st.setString(i++, p + '\uffff');
            }
            st.setInt(i, limit);
            List<Entity> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(entity(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw StoreException.failed("entities", e);
        }
    }

    @Override
    public Relation addRelation(Scope scope, String fromId, String type, String toId, Instant validFrom,
                                Instant validTo, Map<String, Object> properties, Instant recordedAt) {
        if (type == null || type.isBlank()) {
            throw StoreException.invalid("type", "must not be blank");
        }
        if (validFrom != null && validTo != null && !validTo.isAfter(validFrom)) {
            throw StoreException.invalid("validTo", "must be after validFrom");
        }
        Scope g = graphScope(scope);
        writer.lock();
        try (Connection c = dataSource.getConnection()) {
            checkIn(c, g, fromId, "fromId");
            checkIn(c, g, toId, "toId");
            String id = "rel_" + UUID.randomUUID().toString().replace("-", "");
            try (PreparedStatement st = c.prepareStatement("INSERT INTO relations (id, agent_id, user_id, from_id, type, "
                    + "to_id, valid_from, valid_to, recorded_at, properties) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                st.setString(1, id);
                st.setString(2, g.agentId());
                st.setString(3, Rows.key(g.userId()));
                st.setString(4, fromId);
                st.setString(5, type.strip());
                st.setString(6, toId);
                Rows.setInstant(st, 7, validFrom);
                Rows.setInstant(st, 8, validTo);
                st.setLong(9, recordedAt.toEpochMilli());
                st.setString(10, Rows.json(properties));
                st.executeUpdate();
            }
            return relation(c, id).orElseThrow();
        } catch (SQLException e) {
            throw StoreException.failed("relation", e);
        } finally {
            writer.unlock();
        }
    }

    private static void checkIn(Connection c, Scope g, String id, String field) throws SQLException {
        Optional<Entity> e = id == null ? Optional.empty() : entity(c, id);
        if (e.isEmpty() || !e.get().scope().equals(g)) {
            // another scope's entity is reported exactly like a missing one
            throw StoreException.invalid(field, "no such entity in this scope");
        }
    }

    private static Optional<Relation> relation(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM relations WHERE id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(relation(rs)) : Optional.empty();
            }
        }
    }

    private static Relation relation(ResultSet rs) throws SQLException {
        return new Relation(rs.getString("id"), Rows.scope(rs, "agent_id", "user_id", null), rs.getString("from_id"),
                rs.getString("type"), rs.getString("to_id"), Rows.instant(rs, "valid_from"),
                Rows.instant(rs, "valid_to"), Rows.instant(rs, "recorded_at"), Rows.instant(rs, "invalidated_at"),
                Rows.map(rs.getString("properties")));
    }

    @Override
    public Optional<Relation> relation(String id) {
        try (Connection c = dataSource.getConnection()) {
            return relation(c, id);
        } catch (SQLException e) {
            throw StoreException.failed("relation", e);
        }
    }

    @Override
    public Relation invalidateRelation(String id, Instant at) {
        writer.lock();
        try (Connection c = dataSource.getConnection()) {
            Relation r = relation(c, id).orElseThrow(() -> StoreException.notFound("no relation " + id));
            if (r.invalidatedAt() != null) {
                return r;
            }
            try (PreparedStatement st = c.prepareStatement(
                    "UPDATE relations SET invalidated_at = ?, valid_to = COALESCE(valid_to, ?) WHERE id = ?")) {
                st.setLong(1, at.toEpochMilli());
                st.setLong(2, at.toEpochMilli());
                st.setString(3, id);
                st.executeUpdate();
            }
            return relation(c, id).orElseThrow();
        } catch (SQLException e) {
            throw StoreException.failed("relation", e);
        } finally {
            writer.unlock();
        }
    }

    @Override
    public List<Relation> relations(Scope scope, Collection<String> entityIds, Instant asOf) {
        if (entityIds.isEmpty()) {
            return List.of();
        }
        Scope g = graphScope(scope);
        List<String> ids = List.copyOf(entityIds);
        String in = "?,".repeat(ids.size() - 1) + "?";
        String sql = "SELECT * FROM relations WHERE agent_id = ? AND user_id = ? AND (from_id IN (" + in
                + ") OR to_id IN (" + in + ")) ORDER BY recorded_at, id";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            int i = 1;
            st.setString(i++, g.agentId());
            st.setString(i++, Rows.key(g.userId()));
            for (int k = 0; k < 2; k++) {
                for (String id : ids) {
                    st.setString(i++, id);
                }
            }
            List<Relation> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Relation r = relation(rs);
                    if (asOf == null || r.holdsAt(asOf)) {
                        out.add(r);
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw StoreException.failed("relations", e);
        }
    }

    @Override
    public Neighbourhood neighbourhood(Scope scope, Collection<String> entityIds, int depth, Instant asOf) {
        Instant when = asOf == null ? Instant.now() : asOf;
        Set<String> seen = new LinkedHashSet<>(entityIds);
        Map<String, Relation> walked = new LinkedHashMap<>();
        Set<String> frontier = new LinkedHashSet<>(entityIds);
        for (int d = 0; d < depth && !frontier.isEmpty(); d++) {
            Set<String> next = new LinkedHashSet<>();
            for (Relation r : relations(scope, frontier, when)) {
                walked.putIfAbsent(r.id(), r);
                for (String end : List.of(r.fromId(), r.toId())) {
                    if (seen.add(end)) {
                        next.add(end);
                    }
                }
            }
            frontier = next;
        }
        List<Entity> entities = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            for (String id : seen) {
                entity(c, id).filter(e -> e.scope().equals(graphScope(scope))).ifPresent(entities::add);
            }
        } catch (SQLException e) {
            throw StoreException.failed("neighbourhood", e);
        }
        return new Neighbourhood(entities, List.copyOf(walked.values()));
    }

    @Override
    public List<InventoryRow> inventory(String agentId) {
        String where = agentId == null ? "" : " WHERE agent_id = ?";
        List<InventoryRow> out = new ArrayList<>();
        String[] queries = {
                "SELECT agent_id, user_id, 'entity', COUNT(*), COALESCE(SUM(LENGTH(name) + LENGTH(properties)), 0), "
                        + "MIN(created_at), MAX(created_at) FROM entities" + where + " GROUP BY 1, 2",
                "SELECT agent_id, user_id, 'relation', COUNT(*), COALESCE(SUM(LENGTH(type) + LENGTH(properties)), 0), "
                        + "MIN(recorded_at), MAX(recorded_at) FROM relations" + where + " GROUP BY 1, 2"};
        try (Connection c = dataSource.getConnection()) {
            for (String q : queries) {
                try (PreparedStatement st = c.prepareStatement(q)) {
                    if (agentId != null) {
                        st.setString(1, agentId);
                    }
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            out.add(new InventoryRow(rs.getString(1), Rows.nullable(rs.getString(2)), rs.getString(3),
                                    rs.getLong(4), rs.getLong(5), Instant.ofEpochMilli(rs.getLong(6)),
                                    Instant.ofEpochMilli(rs.getLong(7))));
                        }
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw StoreException.failed("inventory", e);
        }
    }

    @Override
    public long purgeAgent(String agentId) {
        writer.lock();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long n = 0;
            for (String t : List.of("relations", "entities")) {
                try (PreparedStatement st = c.prepareStatement("DELETE FROM " + t + " WHERE agent_id = ?")) {
                    st.setString(1, agentId);
                    n += st.executeUpdate();
                }
            }
            c.commit();
            return n;
        } catch (SQLException e) {
            throw StoreException.failed("purge", e);
        } finally {
            writer.unlock();
        }
    }

    @Override
    public void close() {
    }
}
