package io.memroos.memory.fleet;

import io.memroos.memory.store.Entity;
import io.memroos.memory.store.GraphStore;
import io.memroos.memory.store.InventoryRow;
import io.memroos.memory.store.Relation;
import io.memroos.memory.store.Scope;
import io.memroos.memory.store.StoreException;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionCallback;
import org.neo4j.driver.Value;
import org.neo4j.driver.exceptions.Neo4jException;
import org.neo4j.driver.types.Node;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The graph on Neo4j through the official Java driver (Bolt).
 *
 * <p>Entities are {@code :MemEntity} nodes with {@code agentId}, {@code userId} ({@code ""} for none) and
 * {@code key} = user + normalized name, unique per {@code (agentId, key)} by a constraint, so the same name in
 * another scope is another node. Relations are {@code :MEM_RELATES} relationships carrying the same
 * {@code agentId}/{@code userId}, their {@code type}, {@code validFrom}/{@code validTo} (when it was true),
 * {@code recordedAt} and {@code invalidatedAt} (soft invalidation). Times are epoch milliseconds; properties are
 * a JSON string. Every read names the scope on every node and relationship it walks, so even an edge written
 * across scopes by someone else never leads out of the caller's scope.
 */
public final class Neo4jGraphStore implements GraphStore {

    /**
     * Where the graph lives.
     *
     * @param uri      {@code bolt://host:7687} or {@code neo4j://...}
     * @param user     null for no authentication
     * @param password the password (never logged)
     * @param database the database name, or null for the server's default
     */
    public record Settings(String uri, String user, String password, String database) {
        public Settings {
            Objects.requireNonNull(uri, "uri");
        }

        /** The URI without credentials, for logs. */
        public String describe() {
            URI u = URI.create(uri);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())
                    + (database == null ? "" : " database " + database);
        }

        @Override
        public String toString() {
            return "Neo4jGraphStore.Settings[" + describe() + "]";
        }
    }

    static final String[] SCHEMA = {
            "CREATE CONSTRAINT memroos_entity_id IF NOT EXISTS FOR (e:MemEntity) REQUIRE e.id IS UNIQUE",
            "CREATE CONSTRAINT memroos_entity_key IF NOT EXISTS FOR (e:MemEntity) REQUIRE (e.agentId, e.key) IS UNIQUE",
            "CREATE CONSTRAINT memroos_relation_id IF NOT EXISTS FOR ()-[r:MEM_RELATES]-() REQUIRE r.id IS UNIQUE",
            "CREATE INDEX memroos_entity_scope IF NOT EXISTS FOR (e:MemEntity) ON (e.agentId, e.userId)",
            "CREATE INDEX memroos_relation_scope IF NOT EXISTS FOR ()-[r:MEM_RELATES]-() ON (r.agentId, r.userId)"};

    /** A relation holds at {@code $t} (null = every relation): not invalidated and inside its validity. */
    private static final String HOLDS = "($t IS NULL OR (r.invalidatedAt IS NULL AND (r.validFrom IS NULL OR r.validFrom <= $t) "
            + "AND (r.validTo IS NULL OR r.validTo > $t)))";
    private static final String RETURN_REL = " RETURN r, startNode(r).id AS fromId, endNode(r).id AS toId";

    private final Driver driver;
    private final String database;
    private final boolean ownsDriver;

    /** Uses {@code driver} (closed by the caller) and creates the constraints and indexes when missing. */
    public Neo4jGraphStore(Driver driver, String database) {
        this(driver, database, false);
    }

    private Neo4jGraphStore(Driver driver, String database, boolean ownsDriver) {
        this.driver = driver;
        this.database = database;
        this.ownsDriver = ownsDriver;
        ensureSchema();
    }

    /** Connects (checking the server answers) and prepares the schema; the store closes the driver. */
    public static Neo4jGraphStore open(Settings settings) {
        Driver driver = settings.user() == null || settings.user().isBlank()
                ? GraphDatabase.driver(settings.uri(), AuthTokens.none())
                : GraphDatabase.driver(settings.uri(), AuthTokens.basic(settings.user(),
                settings.password() == null ? "" : settings.password()));
        try {
            driver.verifyConnectivity();
            return new Neo4jGraphStore(driver, settings.database(), true);
        } catch (RuntimeException e) {
            driver.close();
            throw new StoreException(StoreException.Kind.UNAVAILABLE,
                    "cannot reach Neo4j at " + settings.describe() + ": " + e.getMessage(), e);
        }
    }

    private void ensureSchema() {
        try (Session s = session()) {
            for (String ddl : SCHEMA) {
                s.run(ddl).consume();
            }
        } catch (Neo4jException e) {
            throw StoreException.failed("preparing the Neo4j schema", e);
        }
    }

    private Session session() {
        return database == null ? driver.session() : driver.session(SessionConfig.forDatabase(database));
    }

    private <T> T write(String what, TransactionCallback<T> work) {
        try (Session s = session()) {
            return s.executeWrite(work);
        } catch (Neo4jException e) {
            throw StoreException.failed(what, e);
        }
    }

    private <T> T read(String what, TransactionCallback<T> work) {
        try (Session s = session()) {
            return s.executeRead(work);
        } catch (Neo4jException e) {
            throw StoreException.failed(what, e);
        }
    }

    /** The unique key of an entity inside its agent: user and normalized name. */
    static String entityKey(Scope graphScope, String name) {
        return Pg.key(graphScope.userId()) + "\u001f" + GraphKeys.norm(name);
    }

    private static Map<String, Object> scopeParams(Scope g) {
        Map<String, Object> p = new HashMap<>();
        p.put("a", g.agentId());
        p.put("u", Pg.key(g.userId()));
        return p;
    }

    // ---- entities ---------------------------------------------------------------------------------------

    @Override
    public Entity upsertEntity(Scope scope, String name, String type, Map<String, Object> properties, Instant at) {
        GraphKeys.checkName(name);
        Scope g = GraphKeys.graphScope(scope);
        Map<String, Object> p = scopeParams(g);
        p.put("key", entityKey(g, name));
        p.put("id", GraphKeys.newEntityId());
        p.put("name", name.strip());
        p.put("norm", GraphKeys.norm(name));
        p.put("type", type);
        p.put("props", Pg.json(properties));
        p.put("at", at.toEpochMilli());
        return write("entity", tx -> {
            // ON MATCH writes the node first, so the read of its properties below happens under its write lock
            Record rec = tx.run("MERGE (e:MemEntity {agentId: $a, key: $key}) "
                    + "ON CREATE SET e.id = $id, e.userId = $u, e.name = $name, e.nameNorm = $norm, e.type = $type, "
                    + "e.properties = $props, e.createdAt = $at, e.touchedAt = $at "
                    + "ON MATCH SET e.touchedAt = $at RETURN e, e.id = $id AS created", p).single();
            Entity e = entity(rec.get("e").asNode());
            if (rec.get("created").asBoolean()) {
                return e;
            }
            Map<String, Object> merged = new LinkedHashMap<>(e.properties());
            if (properties != null) {
                merged.putAll(properties);
            }
            Map<String, Object> q = new HashMap<>();
            q.put("id", e.id());
            q.put("type", type);
            q.put("props", Pg.json(merged));
            return entity(tx.run("MATCH (e:MemEntity {id: $id}) SET e.type = coalesce($type, e.type), "
                    + "e.properties = $props, e.invalidatedAt = null RETURN e", q).single().get("e").asNode());
        });
    }

    private static Entity entity(Node n) {
        return new Entity(n.get("id").asString(), new Scope(n.get("agentId").asString(),
                Pg.nullable(n.get("userId").asString()), null), n.get("name").asString(), str(n.get("type")),
                Pg.map(n.get("properties").asString("{}")), millis(n.get("createdAt")), millis(n.get("invalidatedAt")));
    }

    private static String str(Value v) {
        return v == null || v.isNull() ? null : v.asString();
    }

    private static Instant millis(Value v) {
        return v == null || v.isNull() ? null : Instant.ofEpochMilli(v.asLong());
    }

    private static Long millis(Instant at) {
        return at == null ? null : at.toEpochMilli();
    }

    @Override
    public Optional<Entity> entity(String id) {
        return read("entity", tx -> tx.run("MATCH (e:MemEntity {id: $id}) RETURN e", Map.of("id", id)).list()
                .stream().findFirst().map(r -> entity(r.get("e").asNode())));
    }

    @Override
    public List<Entity> entitiesIn(Scope scope, String text, int limit) {
        return GraphKeys.mentioned(entities(scope, null, 10_000), text, limit);
    }

    @Override
    public List<Entity> entities(Scope scope, String namePrefix, int limit) {
        Map<String, Object> p = scopeParams(GraphKeys.graphScope(scope));
        p.put("prefix", namePrefix == null ? null : GraphKeys.norm(namePrefix));
        p.put("limit", (long) limit);
        return read("entities", tx -> tx.run("MATCH (e:MemEntity) WHERE e.agentId = $a AND e.userId = $u "
                + "AND e.invalidatedAt IS NULL AND ($prefix IS NULL OR e.nameNorm STARTS WITH $prefix) "
                + "RETURN e ORDER BY e.nameNorm LIMIT $limit", p).list(r -> entity(r.get("e").asNode())));
    }

    // ---- relations --------------------------------------------------------------------------------------

    @Override
    public Relation addRelation(Scope scope, String fromId, String type, String toId, Instant validFrom,
                                Instant validTo, Map<String, Object> properties, Instant recordedAt) {
        GraphKeys.checkRelation(type, validFrom, validTo);
        Scope g = GraphKeys.graphScope(scope);
        Map<String, Object> p = scopeParams(g);
        p.put("from", fromId);
        p.put("to", toId);
        p.put("id", GraphKeys.newRelationId());
        p.put("type", type.strip());
        p.put("vf", millis(validFrom));
        p.put("vt", millis(validTo));
        p.put("rec", recordedAt.toEpochMilli());
        p.put("props", Pg.json(properties));
        return write("relation", tx -> {
            for (String[] end : new String[][]{{"fromId", fromId}, {"toId", toId}}) {
                boolean inScope = end[1] != null && tx.run("MATCH (e:MemEntity {id: $id}) "
                        + "RETURN e.agentId = $a AND e.userId = $u AS ok", Map.of("id", end[1], "a", g.agentId(),
                        "u", Pg.key(g.userId()))).list(r -> r.get("ok").asBoolean()).stream().findFirst().orElse(false);
                if (!inScope) {
                    // another scope's entity is reported exactly like a missing one
                    throw StoreException.invalid(end[0], "no such entity in this scope");
                }
            }
            return relation(tx.run("MATCH (f:MemEntity {id: $from, agentId: $a, userId: $u}), "
                    + "(t:MemEntity {id: $to, agentId: $a, userId: $u}) "
                    + "CREATE (f)-[r:MEM_RELATES {id: $id, agentId: $a, userId: $u, type: $type, validFrom: $vf, "
                    + "validTo: $vt, recordedAt: $rec, properties: $props}]->(t)" + RETURN_REL, p).single());
        });
    }

    private static Relation relation(Record rec) {
        org.neo4j.driver.types.Relationship r = rec.get("r").asRelationship();
        return new Relation(r.get("id").asString(), new Scope(r.get("agentId").asString(),
                Pg.nullable(r.get("userId").asString()), null), rec.get("fromId").asString(), r.get("type").asString(),
                rec.get("toId").asString(), millis(r.get("validFrom")), millis(r.get("validTo")),
                millis(r.get("recordedAt")), millis(r.get("invalidatedAt")), Pg.map(r.get("properties").asString("{}")));
    }

    @Override
    public Optional<Relation> relation(String id) {
        return read("relation", tx -> tx.run("MATCH ()-[r:MEM_RELATES {id: $id}]->()" + RETURN_REL, Map.of("id", id))
                .list(Neo4jGraphStore::relation).stream().findFirst());
    }

    @Override
    public Relation invalidateRelation(String id, Instant at) {
        Map<String, Object> p = Map.of("id", id, "at", at.toEpochMilli());
        return write("relation", tx -> tx.run("MATCH ()-[r:MEM_RELATES {id: $id}]->() "
                        + "SET r.validTo = CASE WHEN r.invalidatedAt IS NULL THEN coalesce(r.validTo, $at) ELSE r.validTo END, "
                        + "r.invalidatedAt = coalesce(r.invalidatedAt, $at)" + RETURN_REL, p)
                .list(Neo4jGraphStore::relation).stream().findFirst()
                .orElseThrow(() -> StoreException.notFound("no relation " + id)));
    }

    @Override
    public List<Relation> relations(Scope scope, Collection<String> entityIds, Instant asOf) {
        if (entityIds.isEmpty()) {
            return List.of();
        }
        List<Relation> out = new ArrayList<>(touching(GraphKeys.graphScope(scope), entityIds, asOf));
        out.sort(java.util.Comparator.comparing(Relation::recordedAt).thenComparing(Relation::id));
        return out;
    }

    /** Relations of the scope touching these entities (both ends and the edge itself in the scope), by id. */
    private List<Relation> touching(Scope g, Collection<String> entityIds, Instant asOf) {
        Map<String, Object> p = scopeParams(g);
        p.put("ids", List.copyOf(entityIds));
        p.put("t", millis(asOf));
        return read("relations", tx -> tx.run("MATCH (e:MemEntity) WHERE e.id IN $ids AND e.agentId = $a AND e.userId = $u "
                + "MATCH (e)-[r:MEM_RELATES]-(o:MemEntity) WHERE r.agentId = $a AND r.userId = $u "
                + "AND o.agentId = $a AND o.userId = $u AND " + HOLDS
                + " WITH DISTINCT r" + RETURN_REL, p).list(Neo4jGraphStore::relation));
    }

    @Override
    public Neighbourhood neighbourhood(Scope scope, Collection<String> entityIds, int depth, Instant asOf) {
        Scope g = GraphKeys.graphScope(scope);
        Instant when = asOf == null ? Instant.now() : asOf;
        Set<String> seen = new LinkedHashSet<>(entityIds);
        Map<String, Relation> walked = new LinkedHashMap<>();
        Set<String> frontier = new LinkedHashSet<>(entityIds);
        // breadth first, one query per hop: no path enumeration, and every hop re-checks the scope
        for (int d = 0; d < GraphKeys.clampDepth(depth) && !frontier.isEmpty(); d++) {
            Set<String> next = new LinkedHashSet<>();
            List<Relation> hop = new ArrayList<>(touching(g, frontier, when));
            hop.sort(java.util.Comparator.comparing(Relation::recordedAt).thenComparing(Relation::id));
            for (Relation r : hop) {
                walked.putIfAbsent(r.id(), r);
                for (String end : List.of(r.fromId(), r.toId())) {
                    if (seen.add(end)) {
                        next.add(end);
                    }
                }
            }
            frontier = next;
        }
        Map<String, Object> p = scopeParams(g);
        p.put("ids", List.copyOf(seen));
        Map<String, Entity> byId = new HashMap<>();
        read("neighbourhood", tx -> tx.run("MATCH (e:MemEntity) WHERE e.id IN $ids AND e.agentId = $a AND e.userId = $u "
                + "RETURN e", p).list(r -> entity(r.get("e").asNode()))).forEach(e -> byId.put(e.id(), e));
        List<Entity> entities = new ArrayList<>();
        for (String id : seen) {
            Entity e = byId.get(id);
            if (e != null) {
                entities.add(e);
            }
        }
        return new Neighbourhood(entities, List.copyOf(walked.values()));
    }

    // ---- inventory and purge ----------------------------------------------------------------------------

    @Override
    public List<InventoryRow> inventory(String agentId) {
        Map<String, Object> p = new HashMap<>();
        p.put("a", agentId);
        return read("inventory", tx -> {
            List<InventoryRow> out = new ArrayList<>();
            tx.run("MATCH (e:MemEntity) WHERE $a IS NULL OR e.agentId = $a "
                    + "RETURN e.agentId AS a, e.userId AS u, count(*) AS n, "
                    + "sum(size(e.name) + size(coalesce(e.properties, ''))) AS bytes, min(e.createdAt) AS oldest, "
                    + "max(e.createdAt) AS newest", p).list().forEach(r -> out.add(row(r, "entity")));
            tx.run("MATCH ()-[r:MEM_RELATES]->() WHERE $a IS NULL OR r.agentId = $a "
                    + "RETURN r.agentId AS a, r.userId AS u, count(*) AS n, "
                    + "sum(size(r.type) + size(coalesce(r.properties, ''))) AS bytes, min(r.recordedAt) AS oldest, "
                    + "max(r.recordedAt) AS newest", p).list().forEach(r -> out.add(row(r, "relation")));
            return out;
        });
    }

    private static InventoryRow row(Record r, String kind) {
        return new InventoryRow(r.get("a").asString(), Pg.nullable(r.get("u").asString()), kind, r.get("n").asLong(),
                r.get("bytes").asLong(), millis(r.get("oldest")), millis(r.get("newest")));
    }

    @Override
    public long purgeAgent(String agentId) {
        Map<String, Object> p = Map.of("a", agentId);
        return write("purge", tx -> {
            long rels = tx.run("MATCH ()-[r:MEM_RELATES {agentId: $a}]->() DELETE r RETURN count(r) AS n", p)
                    .single().get("n").asLong();
            long nodes = tx.run("MATCH (e:MemEntity {agentId: $a}) DETACH DELETE e RETURN count(e) AS n", p)
                    .single().get("n").asLong();
            return rels + nodes;
        });
    }

    @Override
    public void close() {
        if (ownsDriver) {
            driver.close();
        }
    }
}
