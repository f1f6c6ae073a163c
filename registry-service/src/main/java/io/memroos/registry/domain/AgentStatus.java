package io.memroos.registry.domain;

import java.util.Locale;

/** Whether an agent is registered; deregistration is soft. */
public enum AgentStatus {
    ACTIVE, DEREGISTERED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AgentStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
