package io.memroos.memory.domain;

import io.memroos.memory.store.Scope;

import java.util.Objects;

/** Who is calling, as proven by the internal JWT. */
public record Caller(Role role, String agentId) {

    /** The three kinds of subject the gateway mints tokens for. */
    public enum Role { OPERATOR, AGENT, SERVICE }

    public Caller {
        Objects.requireNonNull(role, "role");
        if (role == Role.AGENT && (agentId == null || agentId.isBlank())) {
            throw MemoryException.unauthorized("agent token without agent_id");
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

    /** The actor named in receipts and history. */
    public String actor() {
        return switch (role) {
            case AGENT -> "agent:" + agentId;
            case OPERATOR -> "operator";
            case SERVICE -> "service";
        };
    }

    /**
     * The scope this call works in: an agent always its own agent id (naming another is 403); an operator the
     * agent it names (required). User and session narrow it; they never widen it.
     */
    public Scope scope(String requestedAgent, String userId, String sessionId) {
        return new Scope(agentFor(requestedAgent), userId, sessionId);
    }

    public String agentFor(String requestedAgent) {
        switch (role) {
            case AGENT -> {
                if (requestedAgent != null && !requestedAgent.isBlank() && !requestedAgent.equals(agentId)) {
                    throw MemoryException.forbidden("an agent may use only its own memory");
                }
                return agentId;
            }
            case OPERATOR -> {
                if (requestedAgent == null || requestedAgent.isBlank()) {
                    throw MemoryException.invalid("agentId", "an operator must name the agent (agentId)");
                }
                return requestedAgent;
            }
            default -> throw MemoryException.forbidden("service tokens may call only /internal routes");
        }
    }

    /** True when this caller may see memory of {@code owner}. */
    public boolean mayRead(String owner) {
        return role == Role.OPERATOR || (role == Role.AGENT && agentId.equals(owner));
    }

    public void mustBeOperator(String what) {
        if (role != Role.OPERATOR) {
            throw MemoryException.forbidden("only an operator may " + what);
        }
    }

    public void mustNotBeService() {
        if (role == Role.SERVICE) {
            throw MemoryException.forbidden("service tokens may call only /internal routes");
        }
    }
}
