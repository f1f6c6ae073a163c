package io.memroos.governance.domain;

import java.util.List;

/** One page of a listing and the cursor of the next (null at the end). */
public record Page<T>(List<T> items, String nextCursor) {
}
