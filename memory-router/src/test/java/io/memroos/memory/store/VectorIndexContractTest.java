package io.memroos.memory.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link VectorIndex} must have (Lucene here; Qdrant in the fleet package, run when
 * {@code QDRANT_URL} is set). Vectors have {@link #DIM} dimensions.
 */
public abstract class VectorIndexContractTest {

    protected static final int DIM = 4;
    protected static final String MODEL = "test-model";

    protected VectorIndex index;

    /** An empty index for {@link #MODEL} / {@link #DIM}. */
    protected abstract VectorIndex freshIndex() throws Exception;

    @BeforeEach
    void openIndex() throws Exception {
        index = freshIndex();
    }

    @AfterEach
    void closeIndex() {
        index.close();
    }

    protected static String agent() {
        return "a-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected static IndexDoc doc(String id, Scope s, float[] v, long created, Map<String, Object> meta) {
        return new IndexDoc(id, s, "text of " + id, v, created, meta);
    }

    @Test
    void nearestFirstWithinTheScope() {
        String a = agent();
        Scope s = Scope.agent(a);
        index.upsert(List.of(doc("x", s, new float[]{1, 0, 0, 0}, 1, Map.of()),
                doc("y", s, new float[]{0.7f, 0.7f, 0, 0}, 2, Map.of()),
                doc("z", s, new float[]{0, 0, 0, 1}, 3, Map.of()),
                doc("other", Scope.agent(agent()), new float[]{1, 0, 0, 0}, 1, Map.of())));
        List<Hit> hits = index.nearest(new float[]{1, 0.1f, 0, 0}, 10, s, null);
        assertEquals(List.of("x", "y", "z"), hits.stream().map(Hit::id).toList(), "the other agent's doc never shows");
        assertEquals(1, hits.get(0).rank());
        assertTrue(hits.get(0).score() > hits.get(1).score());
        assertTrue(hits.get(0).score() <= 1.0 && hits.get(2).score() >= 0.0);
        assertEquals(1, index.nearest(new float[]{1, 0, 0, 0}, 1, s, null).size());
    }

    @Test
    void userAndSessionNarrowTheScope() {
        String a = agent();
        index.upsert(List.of(doc("u1", new Scope(a, "u1", "s1"), new float[]{1, 0, 0, 0}, 1, Map.of()),
                doc("u2", new Scope(a, "u2", "s2"), new float[]{1, 0, 0, 0}, 1, Map.of()),
                doc("none", Scope.agent(a), new float[]{1, 0, 0, 0}, 1, Map.of())));
        assertEquals(Set.of("u1"), ids(index.nearest(new float[]{1, 0, 0, 0}, 10, new Scope(a, "u1", null), null)));
        assertEquals(Set.of("u2"), ids(index.nearest(new float[]{1, 0, 0, 0}, 10, new Scope(a, null, "s2"), null)));
        assertEquals(3, index.nearest(new float[]{1, 0, 0, 0}, 10, Scope.agent(a), null).size());
    }

    @Test
    void upsertReplacesAndDeleteRemoves() {
        Scope s = Scope.agent(agent());
        index.upsert(List.of(doc("x", s, new float[]{1, 0, 0, 0}, 1, Map.of())));
        index.upsert(List.of(doc("x", s, new float[]{0, 1, 0, 0}, 1, Map.of())));
        List<Hit> hits = index.nearest(new float[]{0, 1, 0, 0}, 10, s, null);
        assertEquals(1, hits.size());
        assertTrue(hits.get(0).score() > 0.99);
        index.delete(List.of("x"));
        assertTrue(index.nearest(new float[]{0, 1, 0, 0}, 10, s, null).isEmpty());
    }

    @Test
    void deleteAgentRemovesOnlyThatAgent() {
        Scope a = Scope.agent(agent());
        Scope b = Scope.agent(agent());
        index.upsert(List.of(doc("a1", a, new float[]{1, 0, 0, 0}, 1, Map.of()),
                doc("b1", b, new float[]{1, 0, 0, 0}, 1, Map.of())));
        index.deleteAgent(a.agentId());
        assertTrue(index.nearest(new float[]{1, 0, 0, 0}, 10, a, null).isEmpty());
        assertEquals(1, index.nearest(new float[]{1, 0, 0, 0}, 10, b, null).size());
    }

    @Test
    void aWrongDimensionIsRefused() {
        Scope s = Scope.agent(agent());
        StoreException e = assertThrows(StoreException.class,
                () -> index.upsert(List.of(doc("x", s, new float[]{1, 0, 0}, 1, Map.of()))));
        assertEquals(StoreException.Kind.INCOMPATIBLE, e.kind());
        StoreException q = assertThrows(StoreException.class, () -> index.nearest(new float[]{1, 0}, 3, s, null));
        assertEquals(StoreException.Kind.INCOMPATIBLE, q.kind());
    }

    @Test
    void infoRecordsModelDimensionAndAppliedSeq() {
        Scope s = Scope.agent(agent());
        index.upsert(List.of(doc("x", s, new float[]{1, 0, 0, 0}, 1, Map.of())));
        index.markApplied(42);
        IndexInfo info = index.info();
        assertEquals(MODEL, info.model());
        assertEquals(DIM, info.dimension());
        assertEquals(42, info.appliedSeq());
        assertTrue(info.docs() >= 1);
    }

    // ---- filters: the backend must agree with Filter.matches on every operator ---------------------------

    private final List<IndexDoc> corpus = new ArrayList<>();

    private Scope filterCorpus() {
        Scope s = Scope.agent(agent());
        corpus.clear();
        corpus.add(doc("d1", new Scope(s.agentId(), "ann", "s1"), new float[]{1, 0, 0, 0}, 1000,
                Map.of("topic", "travel", "stars", 5, "tags", List.of("paris", "rail"), "done", true)));
        corpus.add(doc("d2", new Scope(s.agentId(), "bob", "s1"), new float[]{0.9f, 0.1f, 0, 0}, 2000,
                Map.of("topic", "food", "stars", 3, "tags", List.of("lyon"), "done", false)));
        corpus.add(doc("d3", new Scope(s.agentId(), "ann", "s2"), new float[]{0.8f, 0.2f, 0, 0}, 3000,
                Map.of("topic", "Travel Plans", "stars", 4.5)));
        corpus.add(doc("d4", Scope.agent(s.agentId()), new float[]{0.7f, 0.3f, 0, 0}, 4000, Map.of()));
        index.upsert(corpus);
        return s;
    }

    private void agrees(Scope s, Filter f, Set<String> expected) {
        Set<String> reference = corpus.stream().filter(d -> Filter.matches(f, d::value)).map(IndexDoc::id)
                .collect(Collectors.toSet());
        assertEquals(expected, reference, "the test's own expectation agrees with the reference semantics");
        assertEquals(expected, ids(index.nearest(new float[]{1, 0, 0, 0}, 10, s, f)), "backend for " + f);
    }

    protected static Set<String> ids(List<Hit> hits) {
        return hits.stream().map(Hit::id).collect(Collectors.toSet());
    }

    private static Filter.Cond c(String field, Filter.Op op, Object value) {
        return new Filter.Cond(field, op, value);
    }

    @Test
    void filterEq() {
        Scope s = filterCorpus();
        agrees(s, c("metadata.topic", Filter.Op.EQ, "travel"), Set.of("d1"));
        agrees(s, c("metadata.stars", Filter.Op.EQ, 5.0), Set.of("d1"));
        agrees(s, c("metadata.tags", Filter.Op.EQ, "lyon"), Set.of("d2"));
        agrees(s, c("metadata.done", Filter.Op.EQ, true), Set.of("d1"));
        agrees(s, c("userId", Filter.Op.EQ, "ann"), Set.of("d1", "d3"));
        agrees(s, c("sessionId", Filter.Op.EQ, "s1"), Set.of("d1", "d2"));
    }

    @Test
    void filterNe() {
        Scope s = filterCorpus();
        agrees(s, c("metadata.topic", Filter.Op.NE, "travel"), Set.of("d2", "d3", "d4"));
        agrees(s, c("userId", Filter.Op.NE, "ann"), Set.of("d2", "d4"));
    }

    @Test
    void filterIn() {
        Scope s = filterCorpus();
        agrees(s, c("metadata.topic", Filter.Op.IN, List.of("food", "travel")), Set.of("d1", "d2"));
        agrees(s, c("metadata.stars", Filter.Op.IN, List.of(3.0, 4.5)), Set.of("d2", "d3"));
    }

    @Test
    void filterRange() {
        Scope s = filterCorpus();
        agrees(s, c("metadata.stars", Filter.Op.RANGE, new Filter.Range(null, 4.0, null, null)), Set.of("d1", "d3"));
        agrees(s, c("metadata.stars", Filter.Op.RANGE, new Filter.Range(3.0, null, 5.0, null)), Set.of("d3"));
        agrees(s, c("createdAt", Filter.Op.RANGE, new Filter.Range(null, 2000.0, null, 3000.0)), Set.of("d2", "d3"));
    }

    @Test
    void filterContains() {
        Scope s = filterCorpus();
        agrees(s, c("metadata.topic", Filter.Op.CONTAINS, "travel"), Set.of("d1", "d3"));
        agrees(s, c("metadata.tags", Filter.Op.CONTAINS, "ar"), Set.of("d1"));
    }

    @Test
    void filterAndOrNot() {
        Scope s = filterCorpus();
        agrees(s, new Filter.And(List.of(c("userId", Filter.Op.EQ, "ann"),
                c("metadata.stars", Filter.Op.RANGE, new Filter.Range(null, null, null, 4.9)))), Set.of("d3"));
        agrees(s, new Filter.Or(List.of(c("metadata.topic", Filter.Op.EQ, "food"),
                c("sessionId", Filter.Op.EQ, "s2"))), Set.of("d2", "d3"));
        agrees(s, new Filter.Not(c("metadata.topic", Filter.Op.CONTAINS, "travel")), Set.of("d2", "d4"));
        agrees(s, new Filter.And(List.of(new Filter.Not(c("userId", Filter.Op.EQ, "bob")),
                new Filter.Or(List.of(c("metadata.done", Filter.Op.EQ, true), c("metadata.stars", Filter.Op.EQ, 4.5))))),
                Set.of("d1", "d3"));
    }
}
