package io.memroos.bus.domain;

import java.util.List;

/** One page of a listing and the cursor of the next (null on the last). */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }
}
