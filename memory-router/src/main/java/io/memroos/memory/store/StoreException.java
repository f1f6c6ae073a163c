package io.memroos.memory.store;

import java.util.Objects;

/** A refusal by a backend; the service maps {@link Kind} to an HTTP status. */
public final class StoreException extends RuntimeException {

    /** What kind of refusal. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT, INCOMPATIBLE, UNAVAILABLE }

    private final Kind kind;
    private final String field;

    public StoreException(Kind kind, String field, String message) {
        super(message, null, false, false);
        this.kind = Objects.requireNonNull(kind);
        this.field = field;
    }

    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind);
        this.field = null;
    }

    public static StoreException notFound(String message) {
        return new StoreException(Kind.NOT_FOUND, null, message);
    }

    public static StoreException invalid(String field, String message) {
        return new StoreException(Kind.INVALID, field, message);
    }

    public static StoreException failed(String what, Throwable cause) {
        return new StoreException(Kind.UNAVAILABLE, what + " failed: " + cause.getMessage(), cause);
    }

    public Kind kind() {
        return kind;
    }

    public String field() {
        return field;
    }
}
