package io.memroos.memory.fleet;

import io.memroos.memory.store.Entity;
import io.memroos.memory.store.GraphStore;
import io.memroos.memory.store.GraphStoreContractTest;
import io.memroos.memory.store.Relation;
import io.memroos.memory.store.Scope;
import io.memroos.memory.store.StoreException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.ClientException;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared graph suite on a real in-process Neo4j 5.26 (neo4j-harness in its own class loader, see
 * {@link IsolatedNeo4j}; Bolt on a free port, HTTP off), driven
 * through the official driver exactly as a remote server would be; plus scope isolation checks that only make
 * sense when someone can write to the database behind the store's back.
 */
class Neo4jGraphStoreTest extends GraphStoreContractTest {

    private static IsolatedNeo4j neo4j;
    private static Driver driver;

    @BeforeAll
    static void startNeo4j() throws Exception {
        neo4j = IsolatedNeo4j.start();
        driver = GraphDatabase.driver(neo4j.boltUri(), AuthTokens.none());
    }

    @AfterAll
    static void stopNeo4j() throws Exception {
        if (driver != null) {
            driver.close();
        }
        if (neo4j != null) {
            neo4j.close();
        }
    }

    @Override
    protected GraphStore freshGraph() {
        return new Neo4jGraphStore(driver, null);
    }

    private static Set<String> names(List<Entity> entities) {
        return entities.stream().map(Entity::name).collect(Collectors.toSet());
    }

    @Test
    void aNeighbourhoodQueryNeverCrossesScopes() {
        Scope a = scope();
        Scope b = scope();
        Entity alice = graph.upsertEntity(a, "Alice", "person", null, T0);
        Entity acme = graph.upsertEntity(a, "Acme", "org", null, T0);
        graph.addRelation(a, alice.id(), "works_at", acme.id(), null, null, null, T0);
        Entity bob = graph.upsertEntity(b, "Bob", "person", null, T0);
        // asking with B's scope about A's entities: nothing, not even the start nodes
        GraphStore.Neighbourhood leak = graph.neighbourhood(b, List.of(alice.id(), acme.id()), 3, T0.plusSeconds(1));
        assertTrue(leak.entities().isEmpty(), "no entity of another scope");
        assertTrue(leak.relations().isEmpty(), "no relation of another scope");
        // the same user id under another agent is another scope too
        Scope sameUserOtherAgent = new Scope(b.agentId(), a.userId(), null);
        assertTrue(graph.neighbourhood(sameUserOtherAgent, List.of(alice.id()), 2, T0.plusSeconds(1)).entities().isEmpty());
        // and A's own query sees A's graph only
        GraphStore.Neighbourhood own = graph.neighbourhood(a, List.of(alice.id(), bob.id()), 3, T0.plusSeconds(1));
        assertEquals(Set.of("Alice", "Acme"), names(own.entities()));
        assertEquals(1, own.relations().size());
    }

    @Test
    void anEdgeWrittenAcrossScopesBehindTheStoresBackIsNeverWalked() {
        Scope a = scope();
        Scope b = scope();
        Entity mine = graph.upsertEntity(a, "Mine", null, null, T0);
        Entity theirs = graph.upsertEntity(b, "Theirs", null, null, T0);
        try (Session s = driver.session()) {
            // a relationship stamped with A's scope but leading into B's node, and one stamped with B's scope
            s.run("MATCH (x:MemEntity {id: $x}), (y:MemEntity {id: $y}) "
                    + "CREATE (x)-[:MEM_RELATES {id: 'rel_forged1', agentId: $a, userId: $u, type: 'knows', recordedAt: 0, "
                    + "properties: '{}'}]->(y), (x)-[:MEM_RELATES {id: 'rel_forged2', agentId: $ba, userId: $bu, "
                    + "type: 'knows', recordedAt: 0, properties: '{}'}]->(y)",
                    Map.of("x", mine.id(), "y", theirs.id(), "a", a.agentId(), "u", a.userId(), "ba", b.agentId(),
                            "bu", b.userId())).consume();
        }
        GraphStore.Neighbourhood n = graph.neighbourhood(a, List.of(mine.id()), 2, T0.plusSeconds(1));
        assertEquals(Set.of("Mine"), names(n.entities()));
        assertTrue(n.relations().isEmpty());
        assertTrue(graph.relations(a, List.of(mine.id()), null).isEmpty());
        assertTrue(graph.relations(b, List.of(theirs.id()), null).isEmpty());
    }

    @Test
    void theScopedKeyIsAConstraintOfTheDatabase() {
        Scope a = scope();
        Entity e = graph.upsertEntity(a, "Unique Name", null, null, T0);
        try (Session s = driver.session()) {
            ClientException dup = assertThrows(ClientException.class, () -> s.run(
                    "CREATE (:MemEntity {id: 'ent_dup', agentId: $a, key: $k})",
                    Map.of("a", a.agentId(), "k", Neo4jGraphStore.entityKey(a, "unique   NAME"))).consume());
            assertTrue(dup.getMessage().contains("already exists"), dup.getMessage());
            // the same key under another agent is allowed: the key is per agent
            s.run("CREATE (:MemEntity {id: 'ent_other_' + $a, agentId: $a, userId: 'u1', key: $k, name: 'x', "
                    + "nameNorm: 'x', properties: '{}', createdAt: 0})", Map.of("a", "other-" + a.agentId(),
                    "k", Neo4jGraphStore.entityKey(a, "Unique Name"))).consume();
        }
        assertEquals(e.id(), graph.upsertEntity(a, "unique name", null, null, T0).id());
    }

    @Test
    void theSchemaIsIdempotentAndDataSurvivesReopening() {
        Scope a = scope();
        Entity x = graph.upsertEntity(a, "X", null, Map.of("k", 1), T0);
        Entity y = graph.upsertEntity(a, "Y", null, null, T0);
        Relation r = graph.addRelation(a, x.id(), "r", y.id(), null, null, Map.of("w", 0.5), T0);
        try (GraphStore again = new Neo4jGraphStore(driver, null)) {
            assertEquals(1, ((Number) again.entity(x.id()).orElseThrow().properties().get("k")).intValue());
            Relation back = again.relation(r.id()).orElseThrow();
            assertEquals(x.id(), back.fromId());
            assertEquals(y.id(), back.toId());
            assertEquals(0.5, ((Number) back.properties().get("w")).doubleValue());
        }
        assertThrows(StoreException.class, () -> graph.invalidateRelation("rel_missing", T0));
    }

    @Test
    void anUnreachableServerIsUnavailable() {
        StoreException e = assertThrows(StoreException.class, () -> Neo4jGraphStore.open(
                new Neo4jGraphStore.Settings("bolt://127.0.0.1:1", null, null, null)));
        assertEquals(StoreException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("bolt://127.0.0.1:1"));
    }
}
