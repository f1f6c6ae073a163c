package io.memroos.contract;

import java.util.List;
import java.util.Objects;

/**
 * An RFC 9457 problem body, the shape of every error a MemRoOS service returns
 * (media type {@code application/problem+json}).
 *
 * @param type      a URI naming the kind of problem
 * @param title     a short human summary of the kind
 * @param status    the HTTP status code
 * @param detail    what went wrong with this request, naming the field when one is at fault
 * @param instance  the request path
 * @param requestId the correlation id of the request, or null
 * @param errors    one entry per invalid field, possibly empty
 */
public record Problem(String type, String title, int status, String detail, String instance,
                      String requestId, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://memroos.dev/problems/";

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP error code: " + status);
        }
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** A problem of the given kind ({@code validation}, {@code not-found}, ...) with no field errors. */
    public static Problem of(int status, String kind, String title, String detail) {
        return new Problem(TYPE_BASE + kind, title, status, detail, null, null, List.of());
    }

    public Problem withInstance(String path, String id) {
        return new Problem(type, title, status, detail, path, id, errors);
    }

    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, instance, requestId, fieldErrors);
    }

    /** One invalid field and what is wrong with it. */
    public record FieldError(String field, String message) {
        public FieldError {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(message, "message");
        }
    }
}
