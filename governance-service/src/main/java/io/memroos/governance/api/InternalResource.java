package io.memroos.governance.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.memroos.governance.domain.IngestService;
import io.memroos.governance.domain.PolicyService;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Service-to-service routes (a service:<name> token or the operator): outbox ingest and decisions. */
@Path("/internal")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "internal")
@Blocking
@RolesAllowed({"service", "operator"})
public class InternalResource {

    @RegisterForReflection
    record IngestJson(int accepted, int duplicates) {
    }

    @RegisterForReflection
    record VersionJson(long version) {
    }

    private final IngestService ingest;
    private final PolicyService policies;
    private final JsonWebToken jwt;

    InternalResource(IngestService ingest, PolicyService policies, JsonWebToken jwt) {
        this.ingest = ingest;
        this.policies = policies;
        this.jwt = jwt;
    }

    @POST
    @Path("/events")
    @Operation(summary = "Ingest outbox events (at most 500), idempotent by event id",
            description = "The whole batch is validated first (400 naming events[i].field); an id seen before counts "
                    + "as a duplicate and is not appended again.")
    public IngestJson events(JsonNode body) {
        Callers.of(jwt);
        IngestService.Outcome o = ingest.ingest(Params.required(body));
        return new IngestJson(o.accepted(), o.duplicates());
    }

    @POST
    @Path("/decisions")
    @Operation(summary = "Ask for a policy decision")
    public PolicyResource.DecisionJson decide(JsonNode body) {
        return PolicyResource.DecisionJson.of(policies.decide(Decisions.request(Params.required(body), policies),
                Callers.of(jwt)));
    }

    @GET
    @Path("/policies/version")
    @Operation(summary = "The current policy version (for caches)")
    public VersionJson version() {
        Callers.of(jwt);
        return new VersionJson(policies.version());
    }
}
