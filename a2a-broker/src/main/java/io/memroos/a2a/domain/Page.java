package io.memroos.a2a.domain;

import java.util.List;

/** One page of results, the cursor of the next one (null on the last) and how many match in all. */
public record Page<T>(List<T> items, String nextCursor, long total) {

    public Page {
        items = List.copyOf(items);
    }
}
