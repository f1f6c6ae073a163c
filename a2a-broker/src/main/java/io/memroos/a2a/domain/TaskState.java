package io.memroos.a2a.domain;

import java.util.Locale;

/** The A2A task states, with their 1.0 ({@code TASK_STATE_WORKING}) and 0.3 ({@code working}) wire names. */
public enum TaskState {
    UNSPECIFIED, SUBMITTED, WORKING, COMPLETED, FAILED, CANCELED, INPUT_REQUIRED, REJECTED, AUTH_REQUIRED;

    public String wire10() {
        return "TASK_STATE_" + name();
    }

    public String wire03() {
        return this == UNSPECIFIED ? "unknown" : name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** No further change is possible. */
    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == CANCELED || this == REJECTED;
    }

    /** The agent waits for the client: a stream closes here too. */
    public boolean interrupted() {
        return this == INPUT_REQUIRED || this == AUTH_REQUIRED;
    }

    /** Accepts either wire name; null when it names no state. */
    public static TaskState parse(String wire) {
        if (wire == null) {
            return null;
        }
        String w = wire.strip();
        if (w.startsWith("TASK_STATE_")) {
            w = w.substring("TASK_STATE_".length());
        } else if (w.equals("unknown")) {
            return UNSPECIFIED;
        }
        try {
            return valueOf(w.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
