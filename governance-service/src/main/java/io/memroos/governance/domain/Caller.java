package io.memroos.governance.domain;

import java.util.Objects;

/** Who is calling, as proven by the internal JWT ({@code sub}, {@code groups}, {@code agent_id}). */
public record Caller(Role role, String id) {

    /** The three kinds of subject the gateway mints tokens for. */
    public enum Role { OPERATOR, AGENT, SERVICE }

    public Caller {
        Objects.requireNonNull(role, "role");
        if (role == Role.AGENT && (id == null || id.isBlank())) {
            throw GovException.unauthorized("agent token without agent_id");
        }
    }

    public static Caller operator() {
        return new Caller(Role.OPERATOR, "operator");
    }

    public static Caller agent(String agentId) {
        return new Caller(Role.AGENT, agentId);
    }

    public static Caller service(String name) {
        return new Caller(Role.SERVICE, name == null || name.isBlank() ? "unknown" : name);
    }

    public boolean isOperator() {
        return role == Role.OPERATOR;
    }

    /** The actor string of audit events: {@code operator}, {@code agent:<id>} or {@code service:<name>}. */
    public String actor() {
        return switch (role) {
            case OPERATOR -> "operator";
            case AGENT -> "agent:" + id;
            case SERVICE -> "service:" + id;
        };
    }

    public void mustBeOperator(String what) {
        if (role != Role.OPERATOR) {
            throw GovException.forbidden("only an operator may " + what);
        }
    }

    /**
     * The agent whose data this call may touch: an agent only itself (naming another is 403), an operator the
     * one it names (or null: every agent).
     */
    public String agentScope(String requested) {
        return switch (role) {
            case AGENT -> {
                if (requested != null && !requested.isBlank() && !requested.equals(id)) {
                    throw GovException.forbidden("an agent may reach only its own data");
                }
                yield id;
            }
            case OPERATOR -> requested == null || requested.isBlank() ? null : requested;
            case SERVICE -> throw GovException.forbidden("service tokens may call only /internal routes");
        };
    }
}
