package io.memroos.gateway.ui;

import io.memroos.gateway.keys.InternalTokens;
import io.memroos.gateway.policy.PolicyDecisions;
import io.memroos.gateway.policy.PolicyQuery;
import io.memroos.gateway.proxy.ServiceClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the console asks governance-service (audit log, policies, receipts and usage), as the operator,
 * through the gateway's one {@link ServiceClient}. Policy changes ask for a decision first, like the API
 * route does, and drop the gateway's decision cache once they succeed.
 */
@Singleton
class GovernanceApi {

    static final String SERVICE = "governance";
    static final String UNAVAILABLE = "Governance is unavailable: it is not running or does not answer. "
            + "Start it (./memroos up) and this page recovers by itself.";

    /** Governance answered with a refusal (4xx/5xx problem). */
    static final class Refused extends RuntimeException {
        final int status;
        final JsonObject problem;

        Refused(int status, String detail, JsonObject problem) {
            super(detail, null, false, false);
            this.status = status;
            this.problem = problem;
        }
    }

    /** Governance could not be reached, or did not answer in time. */
    static final class Unavailable extends RuntimeException {
        Unavailable(Throwable cause) {
            super(UNAVAILABLE, cause, false, false);
        }
    }

    private final ServiceClient client;
    private final InternalTokens tokens;
    private final PolicyDecisions policies;

    GovernanceApi(ServiceClient client, InternalTokens tokens, PolicyDecisions policies) {
        this.client = client;
        this.tokens = tokens;
        this.policies = policies;
    }

    Uni<JsonObject> audit(Map<String, String> filters, String cursor, int limit, String requestId) {
        Map<String, String> q = new LinkedHashMap<>(filters);
        if (cursor != null && !cursor.isBlank()) {
            q.put("cursor", cursor);
        }
        q.put("limit", Integer.toString(limit));
        return get("/api/audit" + query(q), requestId);
    }

    Uni<JsonObject> auditStatus(String requestId) {
        return get("/api/audit/status", requestId);
    }

    Uni<JsonObject> verify(String requestId) {
        return get("/api/audit/verify", requestId);
    }

    Uni<JsonObject> policySet(String requestId) {
        return get("/api/policies", requestId);
    }

    Uni<JsonObject> history(String requestId) {
        return get("/api/policies/versions?limit=50", requestId);
    }

    Uni<JsonObject> version(long version, String requestId) {
        return get("/api/policies/versions/" + version, requestId);
    }

    Uni<JsonObject> validate(String id, String text, String requestId) {
        JsonObject body = new JsonObject().put("policies", new io.vertx.core.json.JsonArray()
                .add(new JsonObject().put("id", id).put("text", text)));
        return call(HttpMethod.POST, "/api/policies/validate", body, requestId);
    }

    /** Adds or replaces one policy, after asking governance whether the operator may change policies. */
    Uni<JsonObject> savePolicy(String id, String text, String comment, String requestId) {
        JsonObject body = new JsonObject().put("text", text);
        if (comment != null && !comment.isBlank()) {
            body.put("comment", comment.trim());
        }
        return allowed("policy.update", "policy", id, requestId)
                .flatMap(v -> call(HttpMethod.PUT, "/api/policies/" + enc(id), body, requestId))
                .invoke(saved -> policies.invalidate());
    }

    Uni<JsonObject> records(String kind, String agentId, int limit, String requestId) {
        Map<String, String> q = new LinkedHashMap<>();
        if (agentId != null && !agentId.isBlank()) {
            q.put("agentId", agentId.trim());
        }
        q.put("limit", Integer.toString(limit));
        return get("/api/" + kind + query(q), requestId);
    }

    Uni<JsonObject> aggregate(String kind, String by, String agentId, String requestId) {
        String agent = agentId == null || agentId.isBlank() ? "" : "&agentId=" + enc(agentId.trim());
        return get("/api/" + kind + "/aggregate?by=" + enc(by) + agent, requestId);
    }

    private Uni<Void> allowed(String action, String assetType, String assetId, String requestId) {
        if (!policies.enabled()) {
            return Uni.createFrom().voidItem();
        }
        PolicyQuery q = new PolicyQuery("operator", "operator", action, assetType, assetId, null, true);
        return Uni.createFrom().completionStage(policies.decide(q, requestId).toCompletionStage())
                .onFailure(PolicyDecisions.Unavailable.class).recoverWithUni(err -> policies.failClosed()
                        ? Uni.createFrom().failure(new Refused(503, "governance cannot decide on " + action
                                + " right now: " + err.getMessage(), new JsonObject()))
                        : Uni.createFrom().nullItem())
                .flatMap(d -> d == null || d.allowed() ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(new Refused(403, action + " is not allowed by the current policies"
                                + " (decision " + d.decisionId() + ")", new JsonObject().put("decisionId", d.decisionId()))));
    }

    private Uni<JsonObject> get(String uri, String requestId) {
        return call(HttpMethod.GET, uri, null, requestId);
    }

    private Uni<JsonObject> call(HttpMethod method, String uri, JsonObject body, String requestId) {
        Future<ServiceClient.Reply> reply = client.call(SERVICE, method, uri, tokens.operator(), requestId, body);
        return Uni.createFrom().completionStage(reply.toCompletionStage())
                .onFailure().transform(err -> err instanceof ServiceClient.DownstreamException d && d.status() != 502
                        ? new Unavailable(err) : err)
                .map(r -> {
                    JsonObject json;
                    try {
                        json = r.json();
                    } catch (RuntimeException notJson) {
                        json = new JsonObject();
                    }
                    if (!r.ok()) {
                        throw new Refused(r.status(), json.getString("detail", json.getString("title",
                                "governance answered " + r.status())), json);
                    }
                    return json;
                });
    }

    private static String query(Map<String, String> params) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getValue() == null || e.getValue().isBlank()) {
                continue;
            }
            out.append(out.isEmpty() ? '?' : '&').append(enc(e.getKey())).append('=').append(enc(e.getValue().trim()));
        }
        return out.toString();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
