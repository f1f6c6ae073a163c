package io.memroos.bus.domain;

import java.util.Objects;

/** Who is calling, as proven by the internal JWT. */
public record Caller(Role role, String agentId) {

    /** The three kinds of subject the gateway mints tokens for. */
    public enum Role { OPERATOR, AGENT, SERVICE }

    /** The sender name of messages an operator sends. */
    public static final String OPERATOR_NAME = "operator";

    public Caller {
        Objects.requireNonNull(role, "role");
        if (role == Role.AGENT && (agentId == null || agentId.isBlank())) {
            throw BusException.unauthorized("agent token without agent_id");
        }
    }

    public static Caller operator() {
        return new Caller(Role.OPERATOR, null);
    }

    public static Caller agent(String agentId) {
        return new Caller(Role.AGENT, agentId);
    }

    public static Caller service() {
        return new Caller(Role.SERVICE, null);
    }

    public boolean isOperator() {
        return role == Role.OPERATOR;
    }

    /** The name this caller sends under: its agent id, or {@code operator}. */
    String senderName() {
        return switch (role) {
            case AGENT -> agentId;
            case OPERATOR -> OPERATOR_NAME;
            case SERVICE -> throw BusException.forbidden("service tokens may call only /internal routes");
        };
    }

    /** The actor named in outbox events. */
    String actor() {
        return switch (role) {
            case AGENT -> "agent:" + agentId;
            case OPERATOR -> "operator";
            case SERVICE -> "service";
        };
    }

    /**
     * Whose inbox this call works on: an agent always its own (naming another is 403); an operator the one
     * it names.
     */
    String inboxOf(String requested) {
        switch (role) {
            case AGENT -> {
                if (requested != null && !requested.isBlank() && !requested.equals(agentId)) {
                    throw BusException.forbidden("an agent may read only its own inbox");
                }
                return agentId;
            }
            case OPERATOR -> {
                if (requested == null || requested.isBlank()) {
                    throw BusException.invalid("agentId", "an operator must name the inbox (agentId)");
                }
                return requested;
            }
            default -> throw BusException.forbidden("service tokens may call only /internal routes");
        }
    }

    void mustBeOperator(String what) {
        if (role != Role.OPERATOR) {
            throw BusException.forbidden("only an operator may " + what);
        }
    }

    void mustNotBeService() {
        if (role == Role.SERVICE) {
            throw BusException.forbidden("service tokens may call only /internal routes");
        }
    }
}
