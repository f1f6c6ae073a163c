package io.memroos.registry.api;

import io.memroos.registry.domain.AgentService;
import io.memroos.registry.domain.KeyVerification;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Key verification for the gateway (service tokens only). */
@Path("/internal/keys/verify")
@Authenticated
@Tag(name = "internal")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InternalKeyResource {

    private final AgentService agents;
    private final JsonWebToken jwt;

    InternalKeyResource(AgentService agents, JsonWebToken jwt) {
        this.agents = agents;
        this.jwt = jwt;
    }

    @POST
    @Operation(summary = "Verify an agent key (service token)")
    @APIResponse(responseCode = "200", description = "The key is live")
    @APIResponse(responseCode = "401", description = "Unknown, revoked or expired key, or a deregistered agent")
    public Json.VerifyResponse verify(Json.VerifyRequest body) {
        Json.VerifyRequest b = Json.required(body);
        KeyVerification v = agents.verify(Callers.of(jwt), b.key());
        return new Json.VerifyResponse(v.agentId(), v.keyId(), v.prefix());
    }
}
