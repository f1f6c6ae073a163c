package io.memroos.a2a.store;

import java.util.List;
import java.util.Map;

/**
 * The little a store needs from a database: run a statement with positional {@code ?} parameters.
 * Rows come back as maps keyed by lowercase column label.
 */
interface Sql {

    List<Map<String, Object>> query(String sql, Object... params);

    int update(String sql, Object... params);

    /** A unique constraint refused a write. */
    final class UniqueViolation extends RuntimeException {
        UniqueViolation(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }
}
