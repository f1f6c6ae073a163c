package io.memroos.registry.domain;

import java.util.Locale;

/** How an agent is reached: over A2A, or over the REST shim. */
public enum EndpointKind {
    A2A, REST;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EndpointKind parse(String field, String value) {
        if (value == null || value.isBlank()) {
            throw RegistryException.invalid(field, "must not be blank");
        }
        for (EndpointKind kind : values()) {
            if (kind.wire().equals(value)) {
                return kind;
            }
        }
        throw RegistryException.invalid(field, "must be one of a2a, rest");
    }
}
