package io.memroos.registry.api;

import io.memroos.registry.domain.AgentService;
import io.memroos.registry.domain.AgentView;
import io.memroos.registry.domain.Page;
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

/** Agent look-ups for peer services (service tokens only), per docs/internal-contract.md. */
@Path("/internal/agents")
@Authenticated
@Tag(name = "internal")
@Produces(MediaType.APPLICATION_JSON)
public class InternalAgentResource {

    private final AgentService agents;
    private final JsonWebToken jwt;

    InternalAgentResource(AgentService agents, JsonWebToken jwt) {
        this.agents = agents;
        this.jwt = jwt;
    }

    @GET
    @Operation(summary = "List active agents, optionally with a capability (service token)")
    public Json.AgentPage list(
            @Parameter(description = "Only agents declaring this capability") @QueryParam("capability") String capability,
            @Parameter(description = "Opaque cursor from a previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "Page size, 1..200, default 50") @QueryParam("limit") String limit) {
        Page<AgentView> page = agents.listForService(Callers.of(jwt), capability, AgentResource.decodeCursor(cursor),
                Params.integer("limit", limit));
        return new Json.AgentPage(page.items().stream().map(Json::agent).toList(),
                AgentResource.encodeCursor(page.nextAfterId()));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read any agent, deregistered ones included (service token)")
    public Json.AgentJson get(@PathParam("id") String id) {
        return Json.agent(agents.getForService(Callers.of(jwt), id));
    }
}
