package io.memroos.memory.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A graph node. Its key is (scope agent, scope user, normalized name): the same name in another scope is another
 * entity, so no edge can cross scopes.
 */
public record Entity(String id, Scope scope, String name, String type, Map<String, Object> properties,
                     Instant createdAt, Instant invalidatedAt) {

    public Entity {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(name, "name");
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
