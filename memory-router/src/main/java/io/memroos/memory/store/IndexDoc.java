package io.memroos.memory.store;

import java.util.Map;
import java.util.Objects;

/**
 * What an index holds of an active fact: its id, scope, text (for keywords), embedding (for vectors), creation
 * time (for recency and {@code createdAt} filters) and metadata (for filters).
 */
public record IndexDoc(String id, Scope scope, String text, float[] embedding, long createdAtMillis,
                       Map<String, Object> metadata) {

    public IndexDoc {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(text, "text");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** The value of a filter field for this document ({@link Filter#matches}). */
    public Object value(String field) {
        return switch (field) {
            case "userId" -> scope.userId();
            case "sessionId" -> scope.sessionId();
            case "agentId" -> scope.agentId();
            case "createdAt" -> (double) createdAtMillis;
            default -> field.startsWith("metadata.") ? metadata.get(field.substring("metadata.".length())) : null;
        };
    }
}
