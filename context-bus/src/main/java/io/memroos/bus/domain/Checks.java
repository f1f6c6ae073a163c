package io.memroos.bus.domain;

import java.util.regex.Pattern;

/** Field checks shared by the domain; each failure names the field. */
final class Checks {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,128}");
    private static final Pattern LABEL = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    private Checks() {
    }

    static String id(String field, String value) {
        if (value == null || value.isBlank()) {
            throw BusException.invalid(field, "must not be blank");
        }
        if (!ID.matcher(value).matches()) {
            throw BusException.invalid(field, "must be 1-128 characters of A-Z a-z 0-9 . _ : -");
        }
        return value;
    }

    static String optionalId(String field, String value) {
        return value == null ? null : id(field, value);
    }

    static String idempotencyKey(String value) {
        if (value == null) {
            return null;
        }
        if (!KEY.matcher(value).matches()) {
            throw BusException.invalid("idempotencyKey", "must be 1-128 printable ASCII characters without spaces");
        }
        return value;
    }

    static String label(String value) {
        if (value == null) {
            return "internal";
        }
        if (!LABEL.matcher(value).matches()) {
            throw BusException.invalid("label", "must be a lowercase classification label such as internal");
        }
        return value;
    }

    static int range(String field, Integer value, int min, int max, int dflt) {
        if (value == null) {
            return dflt;
        }
        if (value < min || value > max) {
            throw BusException.invalid(field, "must be between " + min + " and " + max);
        }
        return value;
    }
}
