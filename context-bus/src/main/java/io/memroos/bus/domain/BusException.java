package io.memroos.bus.domain;

import java.util.Objects;

/**
 * The one exception the bus domain throws for a refused request. The edge maps its {@link Kind} to an
 * HTTP status and names {@link #field()} when one is at fault.
 */
public final class BusException extends RuntimeException {

    /** What kind of refusal this is. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT, FORBIDDEN, UNAUTHORIZED, TOO_LARGE, BACKLOG_FULL, UNAVAILABLE }

    private final Kind kind;
    private final String field;

    private BusException(Kind kind, String field, String message) {
        super(message, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.field = field;
    }

    public static BusException invalid(String field, String message) {
        return new BusException(Kind.INVALID, Objects.requireNonNull(field, "field"), message);
    }

    public static BusException notFound(String message) {
        return new BusException(Kind.NOT_FOUND, null, message);
    }

    /** A recipient that cannot receive: the field names which one. */
    public static BusException notFound(String field, String message) {
        return new BusException(Kind.NOT_FOUND, field, message);
    }

    public static BusException conflict(String message) {
        return new BusException(Kind.CONFLICT, null, message);
    }

    public static BusException forbidden(String message) {
        return new BusException(Kind.FORBIDDEN, null, message);
    }

    public static BusException unauthorized(String message) {
        return new BusException(Kind.UNAUTHORIZED, null, message);
    }

    public static BusException tooLarge(String field, String message) {
        return new BusException(Kind.TOO_LARGE, field, message);
    }

    public static BusException backlogFull(String field, String message) {
        return new BusException(Kind.BACKLOG_FULL, field, message);
    }

    public static BusException unavailable(String message) {
        return new BusException(Kind.UNAVAILABLE, null, message);
    }

    public Kind kind() {
        return kind;
    }

    /** The offending field, or null when no single field is at fault. */
    public String field() {
        return field;
    }

    /** The same refusal with the field nested under {@code prefix}. */
    public BusException under(String prefix) {
        return field == null ? this : new BusException(kind, prefix + field, getMessage());
    }

    /** The detail line shown to a caller: {@code field: message} when a field is at fault. */
    public String detail() {
        return field == null ? getMessage() : field + ": " + getMessage();
    }
}
