package io.memroos.memory.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Without a model: every chat turn is a fact (long turns split into sentences), a free text is split into
 * sentences; nothing is updated or invalidated by guesswork, and the graph is written only through the API.
 */
public final class DeterministicExtractor implements Extractor {

    @Override
    public Extraction extract(List<Extraction.Item> items, Function<String, List<Extraction.Similar>> similar) {
        List<Extraction.Op> ops = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Extraction.Item item = items.get(i);
            List<String> texts = "text".equals(item.role()) ? Texts.sentences(item.content()) : Texts.turn(item.content());
            for (String t : texts) {
                ops.add(new Extraction.Op(Extraction.Kind.ADD, t, null, i, "deterministic"));
            }
        }
        return new Extraction(ops, List.of(), List.of(), "deterministic");
    }
}
