package io.memroos.governance.api;

import io.memroos.governance.domain.GovException;

/** Query parameter parsing with field-named refusals. */
final class Params {

    private Params() {
    }

    static int limit(Integer limit, int defaultSize, int max) {
        if (limit == null) {
            return defaultSize;
        }
        if (limit < 1 || limit > max) {
            throw GovException.invalid("limit", "must be between 1 and " + max);
        }
        return limit;
    }

    static long cursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return 0;
        }
        try {
            long v = Long.parseLong(cursor);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw GovException.invalid("cursor", "is not a cursor this service returned");
        }
    }

    static <T> T required(T body) {
        if (body == null) {
            throw GovException.invalid("body", "a JSON body is required");
        }
        return body;
    }
}
