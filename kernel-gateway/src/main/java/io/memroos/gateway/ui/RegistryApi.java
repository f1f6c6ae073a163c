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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the console asks the registry, as the operator, through the gateway's one {@link ServiceClient}. */
@Singleton
class RegistryApi {

    /** The registry refused a request; {@code fields} names the fields at fault when it said. */
    static final class Refused extends RuntimeException {
        final int status;
        final Views.FormErrors errors;

        Refused(int status, Views.FormErrors errors) {
            super(errors.detail(), null, false, false);
            this.status = status;
            this.errors = errors;
        }
    }

    private final ServiceClient client;
    private final InternalTokens tokens;
    private final PolicyDecisions policies;

    RegistryApi(ServiceClient client, InternalTokens tokens, PolicyDecisions policies) {
        this.client = client;
        this.tokens = tokens;
        this.policies = policies;
    }

    /**
     * The console's sensitive actions ask governance first, as the API routes do: a denial or no answer
     * (when failing closed) ends the action with {@link Refused}.
     */
    private Uni<Void> allowed(String action, String assetType, String assetId, String owner, String requestId) {
        if (!policies.enabled()) {
            return Uni.createFrom().voidItem();
        }
        PolicyQuery q = new PolicyQuery("operator", "operator", action, assetType, assetId, owner, false);
        return Uni.createFrom().completionStage(policies.decide(q, requestId).toCompletionStage())
                .onFailure(PolicyDecisions.Unavailable.class).recoverWithUni(err -> policies.failClosed()
                        ? Uni.createFrom().failure(new Refused(503, new Views.FormErrors(
                                "governance cannot decide on " + action + " right now: " + err.getMessage(), List.of())))
                        : Uni.createFrom().nullItem())
                .flatMap(d -> d == null || d.allowed() ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(new Refused(403, new Views.FormErrors(
                                action + " is not allowed by the current policies (decision " + d.decisionId() + ")",
                                List.of()))));
    }

    Uni<List<Views.Agent>> agents(String requestId) {
        return call(HttpMethod.GET, "/api/agents?limit=200", null, requestId)
                .map(j -> Views.items(j).stream().map(Views.Agent::from).toList());
    }

    Uni<Optional<Views.Agent>> agent(String id, String requestId) {
        return Uni.createFrom().completionStage(client.call("registry", HttpMethod.GET, "/api/agents/" + enc(id),
                        tokens.operator(), requestId, null).toCompletionStage())
                .map(reply -> {
                    if (reply.status() == 404) {
                        return Optional.<Views.Agent>empty();
                    }
                    return Optional.of(Views.Agent.from(check(reply).json()));
                });
    }

    Uni<Views.Agent> register(JsonObject draft, String requestId) {
        return allowed("agent.create", "agent", "new", null, requestId).flatMap(v -> call(
                HttpMethod.POST, "/api/agents", draft, requestId).map(j -> Views.Agent.from((JsonObject) j)));
    }

    Uni<List<Views.Key>> keys(String agentId, String requestId) {
        return call(HttpMethod.GET, "/api/agents/" + enc(agentId) + "/keys", null, requestId)
                .map(j -> Views.items(j).stream().map(Views.Key::from).toList());
    }

    Uni<Views.NewKey> createKey(String agentId, String label, String requestId) {
        JsonObject body = new JsonObject();
        if (label != null && !label.isBlank()) {
            body.put("label", label.trim());
        }
        return allowed("key.create", "key", "new", agentId, requestId).flatMap(v -> call(
                HttpMethod.POST, "/api/agents/" + enc(agentId) + "/keys", body, requestId)
                .map(j -> Views.NewKey.from((JsonObject) j)));
    }

    Uni<Views.NewKey> rotateKey(String agentId, String keyId, String requestId) {
        return allowed("key.rotate", "key", keyId, agentId, requestId).flatMap(v -> call(
                HttpMethod.POST, "/api/agents/" + enc(agentId) + "/keys/" + enc(keyId) + "/rotate", new JsonObject(), requestId)
                .map(j -> Views.NewKey.from((JsonObject) j)));
    }

    Uni<Void> revokeKey(String agentId, String keyId, String requestId) {
        return allowed("key.revoke", "key", keyId, agentId, requestId).flatMap(v -> call(
                HttpMethod.DELETE, "/api/agents/" + enc(agentId) + "/keys/" + enc(keyId), null, requestId)
                .replaceWithVoid());
    }

    Uni<List<Views.Heartbeat>> heartbeats(String agentId, String requestId) {
        return call(HttpMethod.GET, "/api/agents/" + enc(agentId) + "/heartbeats?limit=20", null, requestId)
                .map(j -> Views.items(j).stream().map(Views.Heartbeat::from).limit(20).toList());
    }

    /** Calls the registry as the operator; a refusal fails with {@link Refused}; returns the parsed JSON (object or array). */
    private Uni<Object> call(HttpMethod method, String uri, JsonObject body, String requestId) {
        Future<ServiceClient.Reply> reply = client.call("registry", method, uri, tokens.operator(), requestId, body);
        return Uni.createFrom().completionStage(reply.toCompletionStage()).map(r -> {
            check(r);
            if (r.body() == null || r.body().length() == 0) {
                return new JsonObject();
            }
            return io.vertx.core.json.Json.decodeValue(r.body());
        });
    }

    private static ServiceClient.Reply check(ServiceClient.Reply reply) {
        if (reply.ok()) {
            return reply;
        }
        JsonObject problem;
        try {
            problem = reply.json();
        } catch (RuntimeException notJson) {
            problem = new JsonObject();
        }
        List<Views.FieldError> fields = new ArrayList<>();
        for (JsonObject e : Views.items(new JsonObject().put("items", problem.getValue("errors")))) {
            fields.add(new Views.FieldError(e.getString("field", ""), e.getString("message", "")));
        }
        String detail = problem.getString("detail", problem.getString("title", "the registry answered " + reply.status()));
        throw new Refused(reply.status(), new Views.FormErrors(detail, fields));
    }

    private static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
