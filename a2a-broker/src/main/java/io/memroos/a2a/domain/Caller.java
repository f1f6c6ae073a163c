package io.memroos.a2a.domain;

import java.util.Objects;

/** Who calls, as the verified internal JWT says: the operator, an agent, or a peer service. */
public record Caller(Kind kind, String agentId) {

    public enum Kind { OPERATOR, AGENT, SERVICE }

    public Caller {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.AGENT && (agentId == null || agentId.isBlank())) {
            throw new IllegalArgumentException("an agent caller needs its id");
        }
    }

    public static Caller operator() {
        return new Caller(Kind.OPERATOR, null);
    }

    public static Caller agent(String id) {
        return new Caller(Kind.AGENT, id);
    }

    public static Caller service() {
        return new Caller(Kind.SERVICE, null);
    }

    /** {@code operator}, {@code agent:<id>} or {@code service}: what a task records as its caller. */
    public String id() {
        return switch (kind) {
            case OPERATOR -> "operator";
            case AGENT -> "agent:" + agentId;
            case SERVICE -> "service";
        };
    }

    public boolean isOperator() {
        return kind == Kind.OPERATOR;
    }

    /** The operator sees every task; an agent only those it created or that were sent to it. */
    public boolean canSee(TaskRecord task) {
        return kind == Kind.OPERATOR
                || (kind == Kind.AGENT && (id().equals(task.caller()) || agentId.equals(task.targetAgent())));
    }
}
