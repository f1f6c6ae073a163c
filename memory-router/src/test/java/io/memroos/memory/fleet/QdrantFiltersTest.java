package io.memroos.memory.fleet;

import io.memroos.memory.store.Filter;
import io.memroos.memory.store.IndexDoc;
import io.memroos.memory.store.Scope;
import io.qdrant.client.grpc.Points;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The translation of scopes and filters into Qdrant filter objects: their exact shape for each operator, and, over
 * the same corpus as the shared vector suite, agreement of the translated filter (under Qdrant's documented
 * semantics, {@link QdrantFilterSemantics}) with the reference {@link Filter#matches}.
 */
class QdrantFiltersTest {

    private static Filter.Cond c(String field, Filter.Op op, Object value) {
        return new Filter.Cond(field, op, value);
    }

    private static Points.FieldCondition field(Points.Condition c) {
        assertTrue(c.hasField(), "a field condition: " + c);
        return c.getField();
    }

    @Test
    void theScopeIsAlwaysMust() {
        Points.Filter agentOnly = QdrantFilters.of(Scope.agent("a1"), null);
        assertEquals(1, agentOnly.getMustCount());
        assertEquals("agentId", field(agentOnly.getMust(0)).getKey());
        assertEquals("a1", field(agentOnly.getMust(0)).getMatch().getKeyword());
        Points.Filter full = QdrantFilters.of(new Scope("a1", "u1", "s1"), c("userId", Filter.Op.EQ, "x"));
        assertEquals(List.of("agentId", "userId", "sessionId"), full.getMustList().subList(0, 3).stream()
                .map(x -> x.getField().getKey()).toList());
        assertEquals(List.of("a1", "u1", "s1"), full.getMustList().subList(0, 3).stream()
                .map(x -> x.getField().getMatch().getKeyword()).toList());
        assertEquals(4, full.getMustCount(), "the caller's filter comes after the scope, never instead of it");
        assertEquals(0, full.getShouldCount());
    }

    @Test
    void eqByValueType() {
        Points.FieldCondition s = field(QdrantFilters.condition(c("metadata.topic", Filter.Op.EQ, "travel")));
        assertEquals("metadata.topic", s.getKey());
        assertEquals("travel", s.getMatch().getKeyword());
        Points.FieldCondition b = field(QdrantFilters.condition(c("metadata.done", Filter.Op.EQ, true)));
        assertTrue(b.getMatch().getBoolean());
        Points.FieldCondition n = field(QdrantFilters.condition(c("metadata.stars", Filter.Op.EQ, 5.0)));
        assertEquals(5.0, n.getRange().getGte());
        assertEquals(5.0, n.getRange().getLte());
        assertFalse(n.getRange().hasGt() || n.getRange().hasLt());
    }

    @Test
    void neIsMustNotOfEq() {
        Points.Condition ne = QdrantFilters.condition(c("userId", Filter.Op.NE, "ann"));
        assertTrue(ne.hasFilter());
        assertEquals(1, ne.getFilter().getMustNotCount());
        assertEquals(0, ne.getFilter().getMustCount());
        assertEquals("userId", field(ne.getFilter().getMustNot(0)).getKey());
        assertEquals("ann", field(ne.getFilter().getMustNot(0)).getMatch().getKeyword());
    }

    @Test
    void inIsKeywordsOrShouldOfEq() {
        Points.FieldCondition strings = field(QdrantFilters.condition(c("metadata.topic", Filter.Op.IN,
                List.of("food", "travel"))));
        assertEquals(List.of("food", "travel"), strings.getMatch().getKeywords().getStringsList());
        Points.Condition numbers = QdrantFilters.condition(c("metadata.stars", Filter.Op.IN, List.of(3.0, 4.5)));
        assertEquals(2, numbers.getFilter().getShouldCount());
        assertEquals(4.5, field(numbers.getFilter().getShould(1)).getRange().getLte());
    }

    @Test
    void rangeKeepsOpenAndClosedBounds() {
        Points.Range r = field(QdrantFilters.condition(c("createdAt", Filter.Op.RANGE,
                new Filter.Range(3.0, null, null, 9.0)))).getRange();
        assertTrue(r.hasGt() && r.hasLte());
        assertFalse(r.hasGte() || r.hasLt());
        assertEquals(3.0, r.getGt());
        assertEquals(9.0, r.getLte());
        assertEquals("createdAt", field(QdrantFilters.condition(c("createdAt", Filter.Op.RANGE,
                new Filter.Range(null, 1.0, null, null)))).getKey());
    }

    @Test
    void containsSearchesTheLowerCasedShadow() {
        Points.FieldCondition t = field(QdrantFilters.condition(c("metadata.topic", Filter.Op.CONTAINS, "TraVel")));
        assertEquals("lc.metadata.topic", t.getKey());
        assertEquals("travel", t.getMatch().getText());
    }

    @Test
    void andOrNotNest() {
        Points.Condition and = QdrantFilters.condition(new Filter.And(List.of(c("userId", Filter.Op.EQ, "a"),
                c("sessionId", Filter.Op.EQ, "b"))));
        assertEquals(2, and.getFilter().getMustCount());
        Points.Condition or = QdrantFilters.condition(new Filter.Or(List.of(c("userId", Filter.Op.EQ, "a"),
                c("sessionId", Filter.Op.EQ, "b"))));
        assertEquals(2, or.getFilter().getShouldCount());
        assertEquals(0, or.getFilter().getMustCount());
        Points.Condition not = QdrantFilters.condition(new Filter.Not(c("userId", Filter.Op.EQ, "a")));
        assertEquals(1, not.getFilter().getMustNotCount());
        Points.Condition emptyOr = QdrantFilters.condition(new Filter.Or(List.of()));
        assertFalse(QdrantFilterSemantics.holds(emptyOr, Map.of()), "an empty OR matches nothing");
    }

    @Test
    void unknownFieldsNameAKeyNoPointHas() {
        assertEquals("unknown_field.text", QdrantFilters.payloadKey("text"));
        assertEquals("unknown_field.metadata_", QdrantFilters.payloadKey("metadata."));
        assertEquals("metadata.a.b", QdrantFilters.payloadKey("metadata.a.b"));
    }

    // ---- agreement with the reference semantics on the shared suite's corpus ------------------------------

    private static final String AGENT = "a-corpus";
    private static final List<IndexDoc> CORPUS = List.of(
            new IndexDoc("d1", new Scope(AGENT, "ann", "s1"), "t", new float[]{1, 0, 0, 0}, 1000,
                    Map.of("topic", "travel", "stars", 5, "tags", List.of("paris", "rail"), "done", true)),
            new IndexDoc("d2", new Scope(AGENT, "bob", "s1"), "t", new float[]{1, 0, 0, 0}, 2000,
                    Map.of("topic", "food", "stars", 3, "tags", List.of("lyon"), "done", false)),
            new IndexDoc("d3", new Scope(AGENT, "ann", "s2"), "t", new float[]{1, 0, 0, 0}, 3000,
                    Map.of("topic", "Travel Plans", "stars", 4.5)),
            new IndexDoc("d4", Scope.agent(AGENT), "t", new float[]{1, 0, 0, 0}, 4000, Map.of()),
            new IndexDoc("other", Scope.agent("someone-else"), "t", new float[]{1, 0, 0, 0}, 1000,
                    Map.of("topic", "travel")));

    private static Set<String> translated(Scope s, Filter f) {
        Points.Filter q = QdrantFilters.of(s, f);
        return CORPUS.stream().filter(d -> QdrantFilterSemantics.matches(q, QdrantPoints.payload(d)))
                .map(IndexDoc::id).collect(Collectors.toSet());
    }

    private static Set<String> reference(Scope s, Filter f) {
        return CORPUS.stream().filter(d -> s.contains(d.scope()) && (f == null || Filter.matches(f, d::value)))
                .map(IndexDoc::id).collect(Collectors.toSet());
    }

    private static void agrees(Filter f, Set<String> expected) {
        Scope s = Scope.agent(AGENT);
        assertEquals(expected, reference(s, f), "the expectation agrees with the reference for " + f);
        assertEquals(expected, translated(s, f), "the translation agrees for " + f);
    }

    @Test
    void everyOperatorAgreesWithTheReference() {
        agrees(null, Set.of("d1", "d2", "d3", "d4"));
        agrees(c("metadata.topic", Filter.Op.EQ, "travel"), Set.of("d1"));
        agrees(c("metadata.stars", Filter.Op.EQ, 5.0), Set.of("d1"));
        agrees(c("metadata.tags", Filter.Op.EQ, "lyon"), Set.of("d2"));
        agrees(c("metadata.done", Filter.Op.EQ, true), Set.of("d1"));
        agrees(c("userId", Filter.Op.EQ, "ann"), Set.of("d1", "d3"));
        agrees(c("sessionId", Filter.Op.EQ, "s1"), Set.of("d1", "d2"));
        agrees(c("metadata.topic", Filter.Op.NE, "travel"), Set.of("d2", "d3", "d4"));
        agrees(c("userId", Filter.Op.NE, "ann"), Set.of("d2", "d4"));
        agrees(c("metadata.topic", Filter.Op.IN, List.of("food", "travel")), Set.of("d1", "d2"));
        agrees(c("metadata.stars", Filter.Op.IN, List.of(3.0, 4.5)), Set.of("d2", "d3"));
        agrees(c("metadata.stars", Filter.Op.RANGE, new Filter.Range(null, 4.0, null, null)), Set.of("d1", "d3"));
        agrees(c("metadata.stars", Filter.Op.RANGE, new Filter.Range(3.0, null, 5.0, null)), Set.of("d3"));
        agrees(c("createdAt", Filter.Op.RANGE, new Filter.Range(null, 2000.0, null, 3000.0)), Set.of("d2", "d3"));
        agrees(c("metadata.topic", Filter.Op.CONTAINS, "travel"), Set.of("d1", "d3"));
        agrees(c("metadata.tags", Filter.Op.CONTAINS, "AR"), Set.of("d1"));
        agrees(c("metadata.stars", Filter.Op.CONTAINS, "4.5"), Set.of("d3"));
        agrees(c("metadata.missing", Filter.Op.NE, "x"), Set.of("d1", "d2", "d3", "d4"));
        agrees(new Filter.And(List.of(c("userId", Filter.Op.EQ, "ann"),
                c("metadata.stars", Filter.Op.RANGE, new Filter.Range(null, null, null, 4.9)))), Set.of("d3"));
        agrees(new Filter.Or(List.of(c("metadata.topic", Filter.Op.EQ, "food"), c("sessionId", Filter.Op.EQ, "s2"))),
                Set.of("d2", "d3"));
        agrees(new Filter.Not(c("metadata.topic", Filter.Op.CONTAINS, "travel")), Set.of("d2", "d4"));
        agrees(new Filter.And(List.of(new Filter.Not(c("userId", Filter.Op.EQ, "bob")),
                new Filter.Or(List.of(c("metadata.done", Filter.Op.EQ, true), c("metadata.stars", Filter.Op.EQ, 4.5))))),
                Set.of("d1", "d3"));
        agrees(new Filter.Or(List.of()), Set.of());
        agrees(new Filter.And(List.of()), Set.of("d1", "d2", "d3", "d4"));
    }

    @Test
    void theScopeNarrowsToUserAndSessionAndNeverLeavesTheAgent() {
        assertEquals(Set.of("d1", "d3"), translated(new Scope(AGENT, "ann", null), null));
        assertEquals(Set.of("d3"), translated(new Scope(AGENT, "ann", "s2"), null));
        assertEquals(Set.of("other"), translated(Scope.agent("someone-else"), null));
        assertEquals(Set.of(), translated(Scope.agent("nobody"), new Filter.Or(List.of(
                c("metadata.topic", Filter.Op.EQ, "travel"), new Filter.Not(c("userId", Filter.Op.EQ, "zz"))))),
                "no filter widens the scope");
    }
}
