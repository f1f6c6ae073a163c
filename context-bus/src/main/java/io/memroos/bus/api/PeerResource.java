package io.memroos.bus.api;

import io.memroos.bus.domain.MessageService;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The agents an agent may talk to: every active registered agent but itself, from the registry. */
@Path("/api/agent-peers")
@Authenticated
@Blocking
@Tag(name = "peers")
@Produces(MediaType.APPLICATION_JSON)
public class PeerResource {

    private final MessageService bus;
    private final JsonWebToken jwt;

    PeerResource(MessageService bus, JsonWebToken jwt) {
        this.bus = bus;
        this.jwt = jwt;
    }

    @GET
    @Operation(summary = "Peers with their capabilities and liveness (optionally those with a capability)")
    @APIResponse(responseCode = "503", description = "The registry cannot be reached")
    public Json.PeersJson peers(@QueryParam("capability") String capability) {
        return new Json.PeersJson(bus.peers(Callers.of(jwt), capability).stream().map(Json::peer).toList());
    }
}
