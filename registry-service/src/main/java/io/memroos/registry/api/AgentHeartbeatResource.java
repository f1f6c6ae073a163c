package io.memroos.registry.api;

import io.memroos.registry.domain.AgentService;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** An agent's recent heartbeats. */
@Path("/api/agents/{id}/heartbeats")
@Authenticated
@Tag(name = "heartbeats")
@Produces(MediaType.APPLICATION_JSON)
public class AgentHeartbeatResource {

    private final AgentService agents;
    private final JsonWebToken jwt;

    AgentHeartbeatResource(AgentService agents, JsonWebToken jwt) {
        this.agents = agents;
        this.jwt = jwt;
    }

    @GET
    @Operation(summary = "Recent heartbeats of an agent, newest first (operator, or the agent itself)")
    public List<Json.HeartbeatJson> recent(@PathParam("id") String agentId,
                                           @Parameter(description = "How many, 1..200, default 20")
                                           @QueryParam("limit") String limit) {
        return agents.heartbeats(Callers.of(jwt), agentId, Params.integer("limit", limit)).stream()
                .map(Json::heartbeat).toList();
    }
}
