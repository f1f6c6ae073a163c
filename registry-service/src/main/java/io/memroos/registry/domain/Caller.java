package io.memroos.registry.domain;

import java.util.Objects;

/** Who is calling, as proven by the internal JWT. */
public record Caller(Role role, String agentId) {

    /** The three kinds of subject the gateway mints tokens for. */
    public enum Role { OPERATOR, AGENT, SERVICE }

    public Caller {
        Objects.requireNonNull(role, "role");
        if (role == Role.AGENT && (agentId == null || agentId.isBlank())) {
            throw RegistryException.unauthorized("agent token without agent_id");
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

    /** The actor as governance names it: {@code operator}, {@code agent:<id>} or {@code service:<name>}. */
    public String actor() {
        return switch (role) {
            case OPERATOR -> "operator";
            case AGENT -> "agent:" + agentId;
            case SERVICE -> "service:peer";
        };
    }

    public boolean isOperator() {
        return role == Role.OPERATOR;
    }

    /** Operators act on anything; an agent only on itself. */
    void mayActOn(String targetAgentId) {
        if (role == Role.OPERATOR) {
            return;
        }
        if (role == Role.AGENT && agentId.equals(targetAgentId)) {
            return;
        }
        throw RegistryException.forbidden(role == Role.AGENT
                ? "an agent may act only on itself"
                : "service tokens may call only /internal routes");
    }

    void mustBeOperator(String what) {
        if (role != Role.OPERATOR) {
            throw RegistryException.forbidden("only an operator may " + what);
        }
    }

    void mustBeService(String what) {
        if (role != Role.SERVICE) {
            throw RegistryException.forbidden("only service tokens may " + what);
        }
    }

    String mustBeAgent() {
        if (role != Role.AGENT) {
            throw RegistryException.forbidden("only an agent token may post heartbeats");
        }
        return agentId;
    }
}
