package io.memroos.governance.domain;

import java.util.Objects;

/**
 * The one exception the governance domain throws for a refused request. The edge maps its {@link Kind} to an
 * HTTP status and names {@link #field()} when one is at fault.
 */
public final class GovException extends RuntimeException {

    /** What kind of refusal this is. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT, FORBIDDEN, UNAUTHORIZED, TOO_LARGE, UNAVAILABLE }

    private final Kind kind;
    private final String field;

    private GovException(Kind kind, String field, String message) {
        super(message, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.field = field;
    }

    public static GovException invalid(String field, String message) {
        return new GovException(Kind.INVALID, Objects.requireNonNull(field, "field"), message);
    }

    public static GovException notFound(String message) {
        return new GovException(Kind.NOT_FOUND, null, message);
    }

    /** A recipient that cannot receive: the field names which one. */
    public static GovException notFound(String field, String message) {
        return new GovException(Kind.NOT_FOUND, field, message);
    }

    public static GovException conflict(String message) {
        return new GovException(Kind.CONFLICT, null, message);
    }

    public static GovException forbidden(String message) {
        return new GovException(Kind.FORBIDDEN, null, message);
    }

    public static GovException unauthorized(String message) {
        return new GovException(Kind.UNAUTHORIZED, null, message);
    }

    public static GovException tooLarge(String field, String message) {
        return new GovException(Kind.TOO_LARGE, field, message);
    }

    public static GovException unavailable(String message) {
        return new GovException(Kind.UNAVAILABLE, null, message);
    }

    public Kind kind() {
        return kind;
    }

    /** The offending field, or null when no single field is at fault. */
    public String field() {
        return field;
    }

    /** The same refusal with the field nested under {@code prefix}. */
    public GovException under(String prefix) {
        return field == null ? this : new GovException(kind, prefix + field, getMessage());
    }

    /** The detail line shown to a caller: {@code field: message} when a field is at fault. */
    public String detail() {
        return field == null ? getMessage() : field + ": " + getMessage();
    }
}
