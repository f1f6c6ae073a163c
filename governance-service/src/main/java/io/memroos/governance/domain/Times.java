package io.memroos.governance.domain;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Every time governance stores or hashes is UTC ISO-8601 with milliseconds: {@code 2026-11-24T04:00:00.000Z}. */
public final class Times {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Times() {
    }

    public static String format(Instant t) {
        return FORMAT.format(t.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Parses an ISO-8601 instant (or a date, meaning its start) into the stored form; names the field when bad. */
    public static String parse(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return format(Instant.parse(text.strip()));
        } catch (DateTimeParseException e) {
            try {
                return format(java.time.LocalDate.parse(text.strip()).atStartOfDay(ZoneOffset.UTC).toInstant());
            } catch (DateTimeParseException e2) {
                throw GovException.invalid(field, "must be an ISO-8601 instant like 2026-11-24T04:00:00Z");
            }
        }
    }

    public static String day(String stored) {
        return stored.substring(0, 10);
    }
}
