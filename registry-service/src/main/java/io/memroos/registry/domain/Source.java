package io.memroos.registry.domain;

import java.util.Locale;

/** How an agent became canonical: registered through the API, or ingested from its A2A card. */
public enum Source {
    REGISTERED, CARD;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Source fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
