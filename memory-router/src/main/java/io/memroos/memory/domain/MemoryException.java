package io.memroos.memory.domain;

import io.memroos.memory.store.StoreException;

import java.util.Objects;

/** The one exception the memory domain throws for a refused request; the edge maps {@link Kind} to a status. */
public final class MemoryException extends RuntimeException {

    /** What kind of refusal this is. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT, FORBIDDEN, UNAUTHORIZED, TOO_LARGE, UNAVAILABLE }

    private final Kind kind;
    private final String field;

    private MemoryException(Kind kind, String field, String message) {
        super(message, null, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.field = field;
    }

    public static MemoryException invalid(String field, String message) {
        return new MemoryException(Kind.INVALID, Objects.requireNonNull(field, "field"), message);
    }

    public static MemoryException notFound(String message) {
        return new MemoryException(Kind.NOT_FOUND, null, message);
    }

    public static MemoryException conflict(String field, String message) {
        return new MemoryException(Kind.CONFLICT, field, message);
    }

    public static MemoryException forbidden(String message) {
        return new MemoryException(Kind.FORBIDDEN, null, message);
    }

    public static MemoryException unauthorized(String message) {
        return new MemoryException(Kind.UNAUTHORIZED, null, message);
    }

    public static MemoryException tooLarge(String field, String message) {
        return new MemoryException(Kind.TOO_LARGE, field, message);
    }

    public static MemoryException unavailable(String message) {
        return new MemoryException(Kind.UNAVAILABLE, null, message);
    }

    /** The domain view of a backend refusal. */
    public static MemoryException of(StoreException e) {
        return switch (e.kind()) {
            case INVALID -> new MemoryException(Kind.INVALID, e.field() == null ? "body" : e.field(), e.getMessage());
            case NOT_FOUND -> notFound(e.getMessage());
            case CONFLICT -> conflict(e.field(), e.getMessage());
            case INCOMPATIBLE, UNAVAILABLE -> unavailable(e.getMessage());
        };
    }

    public Kind kind() {
        return kind;
    }

    public String field() {
        return field;
    }

    public MemoryException under(String prefix) {
        return field == null ? this : new MemoryException(kind, prefix + field, getMessage());
    }

    public String detail() {
        return field == null ? getMessage() : field + ": " + getMessage();
    }
}
