package io.memroos.registry.domain;

import java.util.Locale;

/** How recently an agent was heard from, derived at read time. */
public enum Liveness {
    ONLINE, STALE, OFFLINE, UNREACHABLE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Liveness parse(String field, String value) {
        for (Liveness l : values()) {
            if (l.wire().equals(value)) {
                return l;
            }
        }
        throw RegistryException.invalid(field, "must be one of online, stale, offline, unreachable");
    }
}
