package io.memroos.registry.api;

import io.memroos.registry.domain.AgentService;
import io.memroos.registry.domain.HeartbeatReceipt;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Heartbeats: an agent says it is alive; liveness is derived from the last one. */
@Path("/api/heartbeat")
@Authenticated
@Tag(name = "heartbeats")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class HeartbeatResource {

    private final AgentService agents;
    private final JsonWebToken jwt;

    HeartbeatResource(AgentService agents, JsonWebToken jwt) {
        this.agents = agents;
        this.jwt = jwt;
    }

    @POST
    @Operation(summary = "Post a heartbeat (agent token; the agent is the token's agent_id)")
    @APIResponse(responseCode = "202", description = "Accepted")
    public Response beat(Json.HeartbeatBody body) {
        Json.HeartbeatBody b = Json.required(body);
        HeartbeatReceipt receipt = agents.heartbeat(Callers.of(jwt), b.status(), b.load(), b.version(), b.metrics());
        return Response.accepted(new Json.ReceiptJson(receipt.agentId(), receipt.liveness().wire(),
                receipt.receivedAt())).build();
    }
}
