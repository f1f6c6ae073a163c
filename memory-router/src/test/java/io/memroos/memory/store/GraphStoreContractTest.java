package io.memroos.memory.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour every {@link GraphStore} must have (SQLite here; Neo4j in the fleet package). */
public abstract class GraphStoreContractTest {

    protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    protected GraphStore graph;

    protected abstract GraphStore freshGraph() throws Exception;

    @BeforeEach
    void openGraph() throws Exception {
        graph = freshGraph();
    }

    @AfterEach
    void closeGraph() {
        graph.close();
    }

    protected static Scope scope() {
        return new Scope("a-" + UUID.randomUUID().toString().substring(0, 8), "u1", null);
    }

    @Test
    void entitiesAreKeyedByScopeAndName() {
        Scope s = scope();
        Entity a = graph.upsertEntity(s, "Maria Lopez", "person", Map.of("age", 30), T0);
        Entity again = graph.upsertEntity(s, "  maria   LOPEZ ", null, Map.of("city", "Lyon"), T0);
        assertEquals(a.id(), again.id());
        assertEquals("person", again.type());
        assertEquals(Set.of("age", "city"), again.properties().keySet());
        Entity otherUser = graph.upsertEntity(new Scope(s.agentId(), "u2", null), "Maria Lopez", "person", null, T0);
        assertNotEquals(a.id(), otherUser.id());
        Entity viaSession = graph.upsertEntity(new Scope(s.agentId(), "u1", "sess9"), "Maria Lopez", null, null, T0);
        assertEquals(a.id(), viaSession.id(), "sessions of one user share the graph");
        assertEquals(List.of(a.id()), graph.entitiesIn(s, "Did maria lopez call?", 10).stream().map(Entity::id).toList());
        assertTrue(graph.entitiesIn(s, "mariachi band", 10).isEmpty(), "whole words only");
        assertEquals(1, graph.entities(s, "mar", 10).size());
    }

    @Test
    void relationsCarryValidityAndAreInvalidatedSoftly() {
        Scope s = scope();
        Entity tom = graph.upsertEntity(s, "Tom", "person", null, T0);
        Entity lyon = graph.upsertEntity(s, "Lyon", "city", null, T0);
        Entity paris = graph.upsertEntity(s, "Paris", "city", null, T0);
        Relation lived = graph.addRelation(s, tom.id(), "lives_in", lyon.id(), T0, T0.plusSeconds(100), null,
                T0.plusSeconds(1));
        Relation lives = graph.addRelation(s, tom.id(), "lives_in", paris.id(), T0.plusSeconds(100), null,
                Map.of("source", "chat"), T0.plusSeconds(2));
        assertEquals(T0.plusSeconds(1), lived.recordedAt());
        assertEquals(List.of(lived.id()), graph.relations(s, List.of(tom.id()), T0.plusSeconds(50)).stream()
                .map(Relation::id).toList());
        assertEquals(List.of(lives.id()), graph.relations(s, List.of(tom.id()), T0.plusSeconds(150)).stream()
                .map(Relation::id).toList());
        Relation ended = graph.invalidateRelation(lives.id(), T0.plusSeconds(200));
        assertNotNull(ended.invalidatedAt());
        assertEquals(T0.plusSeconds(200), ended.validTo());
        assertTrue(graph.relations(s, List.of(tom.id()), T0.plusSeconds(150)).isEmpty(), "invalidated edges do not hold");
        assertEquals(2, graph.relations(s, List.of(tom.id()), null).size(), "but are kept");
        StoreException bad = assertThrows(StoreException.class, () -> graph.addRelation(s, tom.id(), "x", lyon.id(),
                T0.plusSeconds(5), T0, null, T0));
        assertEquals("validTo", bad.field());
    }

    @Test
    void noEdgeCrossesScopes() {
        Scope a = scope();
        Scope b = scope();
        Entity mine = graph.upsertEntity(a, "Alice", null, null, T0);
        Entity theirs = graph.upsertEntity(b, "Bob", null, null, T0);
        StoreException e = assertThrows(StoreException.class,
                () -> graph.addRelation(a, mine.id(), "knows", theirs.id(), null, null, null, T0));
        assertEquals("toId", e.field());
        StoreException e2 = assertThrows(StoreException.class,
                () -> graph.addRelation(b, mine.id(), "knows", theirs.id(), null, null, null, T0));
        assertEquals("fromId", e2.field());
        assertTrue(graph.entitiesIn(b, "Alice said hi", 10).isEmpty());
        assertTrue(graph.relations(b, List.of(mine.id()), null).isEmpty());
    }

    @Test
    void neighbourhoodWalksHoldingRelations() {
        Scope s = scope();
        Entity a = graph.upsertEntity(s, "A", null, null, T0);
        Entity b = graph.upsertEntity(s, "B", null, null, T0);
        Entity c = graph.upsertEntity(s, "C", null, null, T0);
        Entity d = graph.upsertEntity(s, "D", null, null, T0);
        graph.addRelation(s, a.id(), "r", b.id(), null, null, null, T0);
        graph.addRelation(s, b.id(), "r", c.id(), null, null, null, T0);
        Relation gone = graph.addRelation(s, a.id(), "r", d.id(), null, null, null, T0);
        graph.invalidateRelation(gone.id(), T0.plusSeconds(1));
        GraphStore.Neighbourhood one = graph.neighbourhood(s, List.of(a.id()), 1, T0.plusSeconds(10));
        assertEquals(Set.of("A", "B"), one.entities().stream().map(Entity::name).collect(Collectors.toSet()));
        GraphStore.Neighbourhood two = graph.neighbourhood(s, List.of(a.id()), 2, T0.plusSeconds(10));
        assertEquals(Set.of("A", "B", "C"), two.entities().stream().map(Entity::name).collect(Collectors.toSet()));
        assertEquals(2, two.relations().size());
    }

    @Test
    void inventoryAndPurge() {
        Scope s = scope();
        Entity a = graph.upsertEntity(s, "A", null, null, T0);
        Entity b = graph.upsertEntity(s, "B", null, null, T0);
        graph.addRelation(s, a.id(), "r", b.id(), null, null, null, T0);
        List<InventoryRow> rows = graph.inventory(s.agentId());
        assertEquals(2, rows.stream().filter(r -> r.kind().equals("entity")).findFirst().orElseThrow().count());
        assertEquals(1, rows.stream().filter(r -> r.kind().equals("relation")).findFirst().orElseThrow().count());
        assertEquals(3, graph.purgeAgent(s.agentId()));
        assertTrue(graph.entity(a.id()).isEmpty());
    }
}
