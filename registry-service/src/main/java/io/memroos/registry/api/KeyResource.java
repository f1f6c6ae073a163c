package io.memroos.registry.api;

import io.memroos.registry.domain.AgentService;
import io.memroos.registry.domain.IssuedKey;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** An agent's API keys. The plaintext of a key appears only in the response that creates it. */
@Path("/api/agents/{id}/keys")
@Authenticated
@Tag(name = "keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class KeyResource {

    private static final Logger LOG = Logger.getLogger(KeyResource.class);

    private final AgentService agents;
    private final JsonWebToken jwt;

    KeyResource(AgentService agents, JsonWebToken jwt) {
        this.agents = agents;
        this.jwt = jwt;
    }

    @POST
    @Operation(summary = "Issue a key (operator, or the agent itself); the plaintext is shown once")
    @APIResponse(responseCode = "201", description = "Issued")
    public Response create(@PathParam("id") String agentId, Json.KeyRequest body) {
        String label = body == null ? null : body.label();
        IssuedKey issued = agents.createKey(Callers.of(jwt), agentId, label, body == null ? null : body.expiresAt());
        LOG.infof("issued key %s (%s) for agent %s", issued.key().id(), issued.key().displayPrefix(), agentId);
        return Response.status(Response.Status.CREATED).entity(Json.newKey(issued)).build();
    }

    @GET
    @Operation(summary = "List an agent's keys, without secrets")
    public List<Json.KeyJson> list(@PathParam("id") String agentId) {
        return agents.keys(Callers.of(jwt), agentId).stream().map(Json::key).toList();
    }

    @POST
    @Path("/{keyId}/rotate")
    @Operation(summary = "Replace a key: issues a new one and revokes the old")
    @APIResponse(responseCode = "201", description = "Issued")
    public Response rotate(@PathParam("id") String agentId, @PathParam("keyId") String keyId) {
        IssuedKey issued = agents.rotateKey(Callers.of(jwt), agentId, keyId);
        LOG.infof("rotated key %s of agent %s into %s (%s)", keyId, agentId, issued.key().id(),
                issued.key().displayPrefix());
        return Response.status(Response.Status.CREATED).entity(Json.newKey(issued)).build();
    }

    @DELETE
    @Path("/{keyId}")
    @Operation(summary = "Revoke a key")
    @APIResponse(responseCode = "204", description = "Revoked")
    public Response revoke(@PathParam("id") String agentId, @PathParam("keyId") String keyId) {
        agents.revokeKey(Callers.of(jwt), agentId, keyId);
        LOG.infof("revoked key %s of agent %s", keyId, agentId);
        return Response.noContent().build();
    }
}
