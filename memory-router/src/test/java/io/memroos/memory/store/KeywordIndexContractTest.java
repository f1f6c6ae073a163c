package io.memroos.memory.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour every {@link KeywordIndex} must have, on top of the vector suite (the same documents). */
public abstract class KeywordIndexContractTest extends VectorIndexContractTest {

    /** The keyword view of {@link #index}. */
    protected abstract KeywordIndex keywords();

    private static IndexDoc text(String id, Scope s, String text) {
        return new IndexDoc(id, s, text, new float[]{1, 0, 0, 0}, 1, Map.of());
    }

    @Test
    void bm25RanksTheRarerAndRepeatedTermsFirstWithStemming() {
        Scope s = Scope.agent(agent());
        index.upsert(List.of(text("k1", s, "We booked the train to Lisbon for the conference"),
                text("k2", s, "The conference dinner was great"),
                text("k3", s, "My cat sleeps all day"),
                text("k4", Scope.agent(agent()), "Lisbon trains conference")));
        List<Hit> hits = keywords().keywords("trains Lisbon conference?", 10, s, null);
        assertEquals(List.of("k1", "k2"), hits.stream().map(Hit::id).toList());
        assertTrue(keywords().keywords("the a of", 10, s, null).isEmpty(), "stop words alone match nothing");
        assertEquals(List.of("k2"), keywords().keywords("dinner", 10, s,
                new Filter.Cond("createdAt", Filter.Op.EQ, 1.0)).stream().map(Hit::id).toList());
    }

    @Test
    void mentionsCountDistinctPhrases() {
        Scope s = Scope.agent(agent());
        index.upsert(List.of(text("m1", s, "Maria Lopez met Tom in Lyon"),
                text("m2", s, "Tom moved away"),
                text("m3", s, "Lopez Maria is not the same order")));
        List<Hit> hits = keywords().mentions(List.of("Maria Lopez", "Tom"), 10, s, null);
        assertEquals("m1", hits.get(0).id());
        assertEquals(2.0, hits.get(0).score(), 1e-6);
        assertEquals(2, hits.size(), "phrases match in order only");
        assertTrue(keywords().mentions(List.of(), 10, s, null).isEmpty());
    }
}
