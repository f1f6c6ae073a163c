package io.memroos.registry.domain;

import java.util.Objects;

/**
 * The one exception the domain throws for a refused request. The edge maps its {@link Kind} to an
 * HTTP status and names {@link #field()} when one is at fault.
 */
public final class RegistryException extends RuntimeException {

    /** What kind of refusal this is. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT, FORBIDDEN, UNAUTHORIZED }

    private final Kind kind;
    private final String field;

    private RegistryException(Kind kind, String field, String message) {
        super(message, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.field = field;
    }

    public static RegistryException invalid(String field, String message) {
        return new RegistryException(Kind.INVALID, Objects.requireNonNull(field, "field"), message);
    }

    public static RegistryException notFound(String message) {
        return new RegistryException(Kind.NOT_FOUND, null, message);
    }

    public static RegistryException conflict(String message) {
        return new RegistryException(Kind.CONFLICT, null, message);
    }

    public static RegistryException forbidden(String message) {
        return new RegistryException(Kind.FORBIDDEN, null, message);
    }

    public static RegistryException unauthorized(String message) {
        return new RegistryException(Kind.UNAUTHORIZED, null, message);
    }

    public Kind kind() {
        return kind;
    }

    /** The offending field (dotted path), or null when no single field is at fault. */
    public String field() {
        return field;
    }

    /** The same refusal with the field nested under {@code prefix} (e.g. {@code skills[0].}). */
    public RegistryException under(String prefix) {
        return field == null ? this : new RegistryException(kind, prefix + field, getMessage());
    }

    /** The detail line shown to a caller: {@code field: message} when a field is at fault. */
    public String detail() {
        return field == null ? getMessage() : field + ": " + getMessage();
    }
}
