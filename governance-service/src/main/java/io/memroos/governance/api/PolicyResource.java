package io.memroos.governance.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.memroos.governance.domain.Caller;
import io.memroos.governance.domain.DecisionResult;
import io.memroos.governance.domain.GovException;
import io.memroos.governance.domain.PolicyService;
import io.memroos.governance.domain.PolicyVersion;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The policy set (operator only): list, validate, replace, version history, restore, and decisions. */
@Path("/api/policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "policies")
@Blocking
@RolesAllowed("operator")
public class PolicyResource {

    @RegisterForReflection
    record PolicyJson(String id, String effect, String text) {
    }

    @RegisterForReflection
    record PolicySetJson(long version, String createdAt, String createdBy, String comment, List<PolicyJson> policies) {
    }

    @RegisterForReflection
    record VersionSummary(long version, String createdAt, String createdBy, String comment, List<String> policies) {
    }

    @RegisterForReflection
    record HistoryJson(List<VersionSummary> items, String nextCursor) {
    }

    @RegisterForReflection
    record ValidationJson(boolean valid, List<PolicyService.Problem> errors) {
    }

    private final PolicyService policies;
    private final JsonWebToken jwt;

    PolicyResource(PolicyService policies, JsonWebToken jwt) {
        this.policies = policies;
        this.jwt = jwt;
    }

    private Caller operator(String what) {
        Caller c = Callers.of(jwt);
        c.mustBeOperator(what);
        return c;
    }

    @GET
    @Operation(summary = "The current policy set and its version")
    public PolicySetJson list() {
        operator("read policies");
        return view(policies.current(), policies.effects());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One policy of the current set")
    public PolicyJson one(@PathParam("id") String id) {
        operator("read policies");
        String text = policies.current().policies().get(id);
        if (text == null) {
            throw GovException.notFound("no policy " + id);
        }
        return new PolicyJson(id, policies.effects().get(id), text);
    }

    @POST
    @Path("/validate")
    @Operation(summary = "Validate policies without saving",
            description = "Body {policies:[{id,text}]} or {text: a whole policy set}. Answers {valid, errors} with the "
                    + "parser's message, line and column.")
    public ValidationJson validate(JsonNode body) {
        operator("validate policies");
        Map<String, String> set;
        try {
            set = policySet(body);
        } catch (GovException e) {
            if (e.kind() == GovException.Kind.INVALID && e.field() != null && e.field().equals("text")) {
                return new ValidationJson(false, List.of(new PolicyService.Problem(null, e.getMessage(), null, null)));
            }
            throw e;
        }
        List<PolicyService.Problem> problems = policies.validate(set);
        return new ValidationJson(problems.isEmpty(), problems);
    }

    @PUT
    @Operation(summary = "Replace the whole policy set (a new version)",
            description = "Body {policies:[{id,text}], comment} or {text, comment}. A policy that does not parse is "
                    + "refused with 400 naming it and quoting the parser.")
    public PolicySetJson replaceAll(JsonNode body) {
        Caller c = operator("change policies");
        PolicyVersion v = policies.replaceAll(policySet(body), comment(body), c);
        return view(v, policies.effects());
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Add or replace one policy (a new version)", description = "Body {text, comment}.")
    public PolicySetJson replaceOne(@PathParam("id") String id, JsonNode body) {
        Caller c = operator("change policies");
        object(body, Set.of("text", "comment"));
        JsonNode text = body.get("text");
        if (text == null || !text.isTextual()) {
            throw GovException.invalid("text", "is required (the Cedar text of one policy)");
        }
        if (!PolicyService.ID.matcher(id).matches()) {
            throw GovException.invalid("id", "must be 1-64 characters of letters, digits and . _ -");
        }
        return view(policies.replaceOne(id, text.textValue(), comment(body), c), policies.effects());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Remove one policy (a new version)")
    public PolicySetJson delete(@PathParam("id") String id) {
        Caller c = operator("change policies");
        return view(policies.delete(id, null, c), policies.effects());
    }

    @GET
    @Path("/versions")
    @Operation(summary = "Version history, newest first")
    public HistoryJson history(@QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        operator("read policy versions");
        int n = Params.limit(limit, 50, 200);
        long before = cursor == null || cursor.isBlank() ? Long.MAX_VALUE : Params.cursor(cursor);
        List<PolicyVersion> items = policies.history(before, n + 1);
        String next = null;
        if (items.size() > n) {
            items = items.subList(0, n);
            next = Long.toString(items.get(items.size() - 1).version());
        }
        return new HistoryJson(items.stream().map(v -> new VersionSummary(v.version(), v.createdAt(), v.createdBy(),
                v.comment(), v.policies().keySet().stream().sorted().toList())).toList(), next);
    }

    @GET
    @Path("/versions/{version}")
    @Operation(summary = "One earlier version in full")
    public PolicySetJson version(@PathParam("version") long version) {
        operator("read policy versions");
        return view(policies.version(version), Map.of());
    }

    @POST
    @Path("/versions/{version}/restore")
    @Operation(summary = "Make an earlier version current again (as a new version)")
    public PolicySetJson restore(@PathParam("version") long version) {
        Caller c = operator("change policies");
        return view(policies.restore(version, c), policies.effects());
    }

    @POST
    @Path("/decide")
    @Operation(summary = "Ask for a decision (operator); the same contract as POST /internal/decisions")
    public DecisionJson decide(JsonNode body) {
        Caller c = operator("ask for decisions here");
        return DecisionJson.of(policies.decide(Decisions.request(body, policies), c));
    }

    @RegisterForReflection
    record DecisionJson(String decision, List<String> policies, String decisionId, long policyVersion, String label,
                        boolean cached, List<String> errors) {
        static DecisionJson of(DecisionResult r) {
            return new DecisionJson(r.decision(), r.policies(), r.decisionId(), r.policyVersion(), r.label(), r.cached(),
                    r.errors());
        }
    }

    private PolicySetJson view(PolicyVersion v, Map<String, String> effects) {
        return new PolicySetJson(v.version(), v.createdAt(), v.createdBy(), v.comment(), v.policies().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> new PolicyJson(e.getKey(), effects.get(e.getKey()), e.getValue())).toList());
    }

    private Map<String, String> policySet(JsonNode body) {
        object(body, Set.of("policies", "text", "comment"));
        JsonNode text = body.get("text");
        JsonNode list = body.get("policies");
        if (text != null && list != null) {
            throw GovException.invalid("text", "give either text or policies, not both");
        }
        if (text != null) {
            if (!text.isTextual()) {
                throw GovException.invalid("text", "must be a string");
            }
            return policies.split(text.textValue());
        }
        if (list == null || !list.isArray()) {
            throw GovException.invalid("policies", "is required: an array of {id, text}");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode p = list.get(i);
            String f = "policies[" + i + "]";
            if (p == null || !p.isObject()) {
                throw GovException.invalid(f, "must be an object {id, text}");
            }
            for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!name.equals("id") && !name.equals("text")) {
                    throw GovException.invalid(f + "." + name, "unknown property");
                }
            }
            JsonNode t = p.get("text");
            if (t == null || !t.isTextual()) {
                throw GovException.invalid(f + ".text", "is required");
            }
            String id;
            JsonNode idNode = p.get("id");
            if (idNode == null || idNode.isNull()) {
                Map<String, String> one = policies.split(t.textValue());
                if (one.size() != 1) {
                    throw GovException.invalid(f + ".text", "must hold exactly one policy");
                }
                id = one.keySet().iterator().next();
            } else if (!idNode.isTextual() || !PolicyService.ID.matcher(idNode.textValue()).matches()) {
                throw GovException.invalid(f + ".id", "must be 1-64 characters of letters, digits and . _ -");
            } else {
                id = idNode.textValue();
            }
            if (out.put(id, t.textValue()) != null) {
                throw GovException.invalid(f + ".id", "appears twice");
            }
        }
        return out;
    }

    private static String comment(JsonNode body) {
        JsonNode c = body.get("comment");
        if (c == null || c.isNull()) {
            return null;
        }
        if (!c.isTextual()) {
            throw GovException.invalid("comment", "must be a string");
        }
        return c.textValue();
    }

    static void object(JsonNode body, Set<String> allowed) {
        if (body == null || !body.isObject()) {
            throw GovException.invalid("body", "must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw GovException.invalid(name, "unknown property");
            }
        }
    }
}
