package io.memroos.gateway.policy;

import io.memroos.gateway.auth.Caller;
import io.vertx.core.http.HttpMethod;

import java.util.function.Function;

/**
 * Which requests the gateway puts to governance before relaying them, and as what (docs/gateway.md,
 * "Policy checks"). Everything else goes through without a question. Pure: no I/O.
 */
public final class SensitiveActions {

    private SensitiveActions() {
    }

    /**
     * The question for this request, or null when it is not sensitive.
     *
     * @param query a lookup of query parameters (called only for the memory and audit routes)
     */
    public static PolicyQuery classify(HttpMethod method, String path, Caller caller, Function<String, String> query) {
        if (caller == null || path == null || !path.startsWith("/api/")) {
            return null;
        }
        String actorType = caller.isOperator() ? "operator" : "agent";
        String actorId = caller.isOperator() ? "operator" : caller.agentId();
        String[] seg = segments(path);
        if (seg.length < 2) {
            return null;
        }
        boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD;
        switch (seg[1]) {
            case "agents" -> {
                return agents(method, seg, actorType, actorId);
            }
            case "remote-agents" -> {
                if (method == HttpMethod.POST && seg.length == 2) {
                    return new PolicyQuery(actorType, actorId, "agent.create", "agent", "new", null, false);
                }
                if ((method == HttpMethod.PATCH || method == HttpMethod.PUT) && seg.length == 3) {
                    return new PolicyQuery(actorType, actorId, "agent.update", "agent", seg[2], seg[2], false);
                }
                return null;
            }
            case "memory", "memory-inventory", "agent-memory" -> {
                if (!caller.isOperator() || !read) {
                    return null;
                }
                return new PolicyQuery(actorType, actorId, "memory.read", "memory", scope(query), null, false);
            }
            case "recall" -> {
                if (!caller.isOperator()) {
                    return null;
                }
                return new PolicyQuery(actorType, actorId, "memory.read", "memory", scope(query), null, false);
            }
            case "evidence" -> {
                if (method == HttpMethod.POST && seg.length == 2) {
                    return new PolicyQuery(actorType, actorId, "evidence.export", "evidence", "new", null, false);
                }
                return null;
            }
            case "audit" -> {
                boolean export = seg.length >= 3 && "export".equals(seg[2])
                        || (seg.length == 2 && read && (query.apply("format") != null || query.apply("export") != null));
                return export ? new PolicyQuery(actorType, actorId, "audit.export", "audit", "all", null, false) : null;
            }
            case "policies" -> {
                if (read || seg.length == 3 && method == HttpMethod.POST
                        && ("validate".equals(seg[2]) || "decide".equals(seg[2]))) {
                    return null;
                }
                String id = seg.length >= 3 ? tail(seg, 2) : "all";
                return new PolicyQuery(actorType, actorId, "policy.update", "policy", id, null, true);
            }
            case "classification" -> {
                if (read) {
                    return null;
                }
                String id = seg.length >= 3 ? tail(seg, 2) : "all";
                return new PolicyQuery(actorType, actorId, "classification.update", "classification", id, null, true);
            }
            default -> {
                return null;
            }
        }
    }

    private static PolicyQuery agents(HttpMethod method, String[] seg, String actorType, String actorId) {
        // /api/agents, /api/agents/{id}, /api/agents/{id}/keys, /api/agents/{id}/keys/{keyId}[/rotate]
        if (seg.length == 2) {
            return method == HttpMethod.POST
                    ? new PolicyQuery(actorType, actorId, "agent.create", "agent", "new", null, false) : null;
        }
        String agent = seg[2];
        if (seg.length == 3) {
            if (method == HttpMethod.PATCH || method == HttpMethod.PUT) {
                return new PolicyQuery(actorType, actorId, "agent.update", "agent", agent, agent, false);
            }
            if (method == HttpMethod.DELETE) {
                return new PolicyQuery(actorType, actorId, "agent.delete", "agent", agent, agent, false);
            }
            return null;
        }
        if (!"keys".equals(seg[3])) {
            return null;
        }
        if (seg.length == 4) {
            return method == HttpMethod.POST
                    ? new PolicyQuery(actorType, actorId, "key.create", "key", "new", agent, false) : null;
        }
        String key = seg[4];
        if (seg.length == 5 && method == HttpMethod.DELETE) {
            return new PolicyQuery(actorType, actorId, "key.revoke", "key", key, agent, false);
        }
        if (seg.length == 6 && "rotate".equals(seg[5]) && method == HttpMethod.POST) {
            return new PolicyQuery(actorType, actorId, "key.rotate", "key", key, agent, false);
        }
        return null;
    }

    /** The agent scope a memory read names ({@code agentId} or {@code agent} parameter), else {@code all}. */
    private static String scope(Function<String, String> query) {
        String agent = query.apply("agentId");
        if (agent == null) {
            agent = query.apply("agent");
        }
        return agent == null || agent.isBlank() || agent.length() > 200 || !safe(agent) ? "all" : agent;
    }

    private static boolean safe(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && "._:@/-".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String tail(String[] seg, int from) {
        String joined = String.join("/", java.util.Arrays.copyOfRange(seg, from, seg.length));
        return joined.length() > 200 || !safe(joined) ? "all" : joined;
    }

    /** "/api/agents/a1/keys" -> ["api", "agents", "a1", "keys"]; empty segments dropped. */
    static String[] segments(String path) {
        return java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }
}
