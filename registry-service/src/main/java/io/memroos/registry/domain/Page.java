package io.memroos.registry.domain;

import java.util.List;

/** One page of results and the id to continue after, or null on the last page. */
public record Page<T>(List<T> items, String nextAfterId) {
    public Page {
        items = List.copyOf(items);
    }
}
