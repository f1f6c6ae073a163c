package io.memroos.memory.fleet;

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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The graph on PostgreSQL, beside the records: entities keyed by (agent, user, normalized name), relations inside
 * one such scope; every query carries the scope. Upserts are single statements ({@code ON CONFLICT}), so several
 * router instances may write at once.
 */
public final class PgGraphStore implements GraphStore {

    private static final String ENTITY_COLUMNS = "id, agent_id, user_id, name, type, properties::text AS properties, "
            + "created_at, invalidated_at";
    private static final String RELATION_COLUMNS = "id, agent_id, user_id, from_id, type, to_id, valid_from, valid_to, "
            + "recorded_at, invalidated_at, properties::text AS properties";

    private final DataSource dataSource;

    public PgGraphStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Entity upsertEntity(Scope scope, String name, String type, Map<String, Object> properties, Instant at) {
        GraphKeys.checkName(name);
        Scope g = GraphKeys.graphScope(scope);
        String id = GraphKeys.newEntityId();
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("INSERT INTO entities (id, agent_id, user_id, name, name_norm, "
                     + "type, properties, created_at) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?) "
                     + "ON CONFLICT (agent_id, user_id, name_norm) DO UPDATE SET "
                     + "type = COALESCE(EXCLUDED.type, entities.type), "
                     + "properties = entities.properties || EXCLUDED.properties, invalidated_at = NULL "
                     + "RETURNING " + ENTITY_COLUMNS)) {
            st.setString(1, id);
            st.setString(2, g.agentId());
            st.setString(3, Pg.key(g.userId()));
            st.setString(4, name.strip());
            st.setString(5, GraphKeys.norm(name));
            st.setString(6, type);
            st.setString(7, Pg.json(properties));
            st.setLong(8, at.toEpochMilli());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return entity(rs);
            }
        } catch (SQLException e) {
            throw StoreException.failed("entity", e);
        }
    }

    private static Optional<Entity> entity(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT " + ENTITY_COLUMNS + " FROM entities WHERE id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(entity(rs)) : Optional.empty();
            }
        }
    }

    private static Entity entity(ResultSet rs) throws SQLException {
        return new Entity(rs.getString("id"), Pg.scope(rs, "agent_id", "user_id", null), rs.getString("name"),
                rs.getString("type"), Pg.map(rs.getString("properties")), Pg.instant(rs, "created_at"),
                Pg.instant(rs, "invalidated_at"));
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
        return GraphKeys.mentioned(entities(scope, null, 10_000), text, limit);
    }

    @Override
    public List<Entity> entities(Scope scope, String namePrefix, int limit) {
        Scope g = GraphKeys.graphScope(scope);
        String sql = "SELECT " + ENTITY_COLUMNS + " FROM entities WHERE agent_id = ? AND user_id = ? "
                + "AND invalidated_at IS NULL" + (namePrefix == null ? "" : " AND starts_with(name_norm, ?)")
                + " ORDER BY name_norm COLLATE \"C\" LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            int i = 1;
            st.setString(i++, g.agentId());
            st.setString(i++, Pg.key(g.userId()));
            if (namePrefix != null) {
                st.setString(i++, GraphKeys.norm(namePrefix));
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
        GraphKeys.checkRelation(type, validFrom, validTo);
        Scope g = GraphKeys.graphScope(scope);
        try (Connection c = dataSource.getConnection()) {
            checkIn(c, g, fromId, "fromId");
            checkIn(c, g, toId, "toId");
            String id = GraphKeys.newRelationId();
            // the scope is checked again in the statement itself: both ends must be the scope's at insert time
            try (PreparedStatement st = c.prepareStatement("INSERT INTO relations (id, agent_id, user_id, from_id, type, "
                    + "to_id, valid_from, valid_to, recorded_at, properties) SELECT ?, ?, ?, f.id, ?, t.id, ?, ?, ?, "
                    + "?::jsonb FROM entities f, entities t WHERE f.id = ? AND t.id = ? AND f.agent_id = ? "
                    + "AND f.user_id = ? AND t.agent_id = ? AND t.user_id = ? RETURNING " + RELATION_COLUMNS)) {
                st.setString(1, id);
                st.setString(2, g.agentId());
                st.setString(3, Pg.key(g.userId()));
                st.setString(4, type.strip());
                Pg.setInstant(st, 5, validFrom);
                Pg.setInstant(st, 6, validTo);
                st.setLong(7, recordedAt.toEpochMilli());
                st.setString(8, Pg.json(properties));
                st.setString(9, fromId);
                st.setString(10, toId);
                st.setString(11, g.agentId());
                st.setString(12, Pg.key(g.userId()));
                st.setString(13, g.agentId());
                st.setString(14, Pg.key(g.userId()));
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        throw StoreException.invalid("fromId", "no such entity in this scope");
                    }
                    return relation(rs);
                }
            }
        } catch (SQLException e) {
            throw StoreException.failed("relation", e);
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
        try (PreparedStatement st = c.prepareStatement("SELECT " + RELATION_COLUMNS + " FROM relations WHERE id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(relation(rs)) : Optional.empty();
            }
        }
    }

    private static Relation relation(ResultSet rs) throws SQLException {
        return new Relation(rs.getString("id"), Pg.scope(rs, "agent_id", "user_id", null), rs.getString("from_id"),
                rs.getString("type"), rs.getString("to_id"), Pg.instant(rs, "valid_from"),
                Pg.instant(rs, "valid_to"), Pg.instant(rs, "recorded_at"), Pg.instant(rs, "invalidated_at"),
                Pg.map(rs.getString("properties")));
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
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("UPDATE relations SET invalidated_at = ?, "
                     + "valid_to = COALESCE(valid_to, ?) WHERE id = ? AND invalidated_at IS NULL")) {
            st.setLong(1, at.toEpochMilli());
            st.setLong(2, at.toEpochMilli());
            st.setString(3, id);
            st.executeUpdate();
            return relation(c, id).orElseThrow(() -> StoreException.notFound("no relation " + id));
        } catch (SQLException e) {
            throw StoreException.failed("relation", e);
        }
    }

    @Override
    public List<Relation> relations(Scope scope, Collection<String> entityIds, Instant asOf) {
        if (entityIds.isEmpty()) {
            return List.of();
        }
        Scope g = GraphKeys.graphScope(scope);
        String sql = "SELECT " + RELATION_COLUMNS + " FROM relations WHERE agent_id = ? AND user_id = ? "
                + "AND (from_id = ANY (?) OR to_id = ANY (?))"
                + (asOf == null ? "" : " AND invalidated_at IS NULL AND (valid_from IS NULL OR valid_from <= ?) "
                + "AND (valid_to IS NULL OR valid_to > ?)")
                + " ORDER BY recorded_at, id";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            java.sql.Array ids = c.createArrayOf("text", entityIds.toArray());
            st.setString(1, g.agentId());
            st.setString(2, Pg.key(g.userId()));
            st.setArray(3, ids);
            st.setArray(4, ids);
            if (asOf != null) {
                st.setLong(5, asOf.toEpochMilli());
                st.setLong(6, asOf.toEpochMilli());
            }
            List<Relation> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(relation(rs));
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
        Scope g = GraphKeys.graphScope(scope);
        Set<String> seen = new LinkedHashSet<>(entityIds);
        Map<String, Relation> walked = new LinkedHashMap<>();
        Set<String> frontier = new LinkedHashSet<>(entityIds);
        for (int d = 0; d < GraphKeys.clampDepth(depth) && !frontier.isEmpty(); d++) {
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
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT " + ENTITY_COLUMNS + " FROM entities WHERE id = ANY (?) "
                     + "AND agent_id = ? AND user_id = ?")) {
            st.setArray(1, c.createArrayOf("text", seen.toArray()));
            st.setString(2, g.agentId());
            st.setString(3, Pg.key(g.userId()));
            Map<String, Entity> byId = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Entity e = entity(rs);
                    byId.put(e.id(), e);
                }
            }
            for (String id : seen) {
                Entity e = byId.get(id);
                if (e != null) {
                    entities.add(e);
                }
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
                "SELECT agent_id, user_id, 'entity', COUNT(*), COALESCE(SUM(octet_length(name) "
                        + "+ octet_length(properties::text)), 0), MIN(created_at), MAX(created_at) FROM entities"
                        + where + " GROUP BY 1, 2",
                "SELECT agent_id, user_id, 'relation', COUNT(*), COALESCE(SUM(octet_length(type) "
                        + "+ octet_length(properties::text)), 0), MIN(recorded_at), MAX(recorded_at) FROM relations"
                        + where + " GROUP BY 1, 2"};
        try (Connection c = dataSource.getConnection()) {
            for (String q : queries) {
                try (PreparedStatement st = c.prepareStatement(q)) {
                    if (agentId != null) {
                        st.setString(1, agentId);
                    }
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            out.add(new InventoryRow(rs.getString(1), Pg.nullable(rs.getString(2)), rs.getString(3),
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
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long n = 0;
                for (String t : List.of("relations", "entities")) {
                    try (PreparedStatement st = c.prepareStatement("DELETE FROM " + t + " WHERE agent_id = ?")) {
                        st.setString(1, agentId);
                        n += st.executeUpdate();
                    }
                }
                c.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw StoreException.failed("purge", e);
        }
    }

    @Override
    public void close() {
        // the pool belongs to PgMemoryBackend
    }
}
