package io.memroos.memory.store;

import java.util.List;

/** One page of a listing and the cursor of the next, or null at the end. */
public record Page<T>(List<T> items, String nextCursor) {

    public Page {
        items = List.copyOf(items);
    }
}
