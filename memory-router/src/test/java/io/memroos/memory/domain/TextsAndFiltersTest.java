package io.memroos.memory.domain;

import io.memroos.memory.store.Filter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TextsAndFiltersTest {

    @Test
    void normalizationFoldsCaseSpaceAndTrailingPunctuation() {
        assertEquals("the wifi password is on the fridge", Texts.normalize("  The  WiFi password is on the fridge!! "));
        assertEquals(Texts.normalize("ﬁne"), Texts.normalize("fine"), "NFKC");
    }

    @Test
    void sentencesAndLongTurns() {
        assertEquals(List.of("Dr. Smith is here.", "He is 5.5 ft tall!", "Ok?"),
                Texts.sentences("Dr. Smith is here. He is 5.5 ft tall! Ok?"));
        assertEquals(1, Texts.turn("a short turn. With two sentences.").size());
        String longTurn = "word ".repeat(300).strip() + ". " + "Another sentence here.";
        assertEquals(3, Texts.turn(longTurn).size(), "a long turn is cut at sentence and size boundaries");
    }

    @Test
    void filtersParseIntoTheModel() {
        Filter f = FilterParser.parse(Map.of("and", List.of(
                Map.of("field", "metadata.topic", "op", "in", "value", List.of("a", "b")),
                Map.of("not", Map.of("field", "createdAt", "op", "range", "value", Map.of("lt", "2026-01-01T00:00:00Z"))))),
                "filter");
        Filter.And and = assertInstanceOf(Filter.And.class, f);
        Filter.Cond in = assertInstanceOf(Filter.Cond.class, and.all().get(0));
        assertEquals(List.of("a", "b"), in.value());
        Filter.Not not = assertInstanceOf(Filter.Not.class, and.all().get(1));
        Filter.Range r = (Filter.Range) ((Filter.Cond) not.filter()).value();
        assertEquals(1767225600000.0, r.lt());
        assertNull(FilterParser.parse(null, "filter"));
    }

    @Test
    void filtersAreBounded() {
        Object deep = Map.of("field", "metadata.a", "op", "eq", "value", 1);
        for (int i = 0; i < 10; i++) {
            deep = Map.of("not", deep);
        }
        Object finalDeep = deep;
        MemoryException e = assertThrows(MemoryException.class, () -> FilterParser.parse(finalDeep, "filter"));
        assertEquals("filter.not.not.not.not.not.not.not.not.not", e.field());
        List<Object> many = new java.util.ArrayList<>();
        for (int i = 0; i < 70; i++) {
            many.add(Map.of("field", "metadata.a", "op", "eq", "value", i));
        }
        assertThrows(MemoryException.class, () -> FilterParser.parse(Map.of("or", many), "filter"));
    }
}
