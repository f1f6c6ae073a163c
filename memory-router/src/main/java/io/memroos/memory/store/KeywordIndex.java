package io.memroos.memory.store;

import java.util.List;

/** BM25 keyword search over fact texts, with the same scope and filter semantics as {@link VectorIndex}. */
public interface KeywordIndex {

    /** The {@code k} best BM25 matches of {@code query} inside {@code scope} matching {@code filter}, best first. */
    List<Hit> keywords(String query, int k, Scope scope, Filter filter);

    /**
     * Facts mentioning any of these phrases (entity names from the graph), inside the scope and filter, ranked by
     * how many of them they mention, best first.
     */
    List<Hit> mentions(List<String> phrases, int k, Scope scope, Filter filter);
}
