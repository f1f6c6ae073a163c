package io.memroos.registry.api;

import io.memroos.registry.domain.AgentView;
import io.memroos.registry.domain.RemoteAgentService;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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

import java.net.URI;
import java.util.List;

/** Agents ingested from A2A agent cards, and the polling that keeps them fresh. Operator only. */
@Path("/api/remote-agents")
@Authenticated
@Tag(name = "remote-agents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RemoteAgentResource {

    private static final Logger LOG = Logger.getLogger(RemoteAgentResource.class);

    private final RemoteAgentService remotes;
    private final JsonWebToken jwt;

    RemoteAgentResource(RemoteAgentService remotes, JsonWebToken jwt) {
        this.remotes = remotes;
        this.jwt = jwt;
    }

    @POST
    @Operation(summary = "Ingest an A2A agent card (1.0 or 0.3) and register its agent")
    @APIResponse(responseCode = "201", description = "Registered from the card")
    public Response ingest(Json.Ingest body) {
        Json.Ingest b = Json.required(body);
        AgentView view = remotes.ingest(Callers.of(jwt), b.cardUrl(), b.pollIntervalSeconds());
        LOG.infof("ingested card %s as agent %s (%s)", view.agent().cardUrl(), view.agent().id(), view.agent().name());
        return Response.created(URI.create("/api/agents/" + view.agent().id())).entity(Json.agent(view)).build();
    }

    @GET
    @Operation(summary = "List remote agents with their polling state")
    public List<Json.RemoteAgentJson> list() {
        return remotes.list(Callers.of(jwt)).stream().map(Json::remote).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read one remote agent's polling state")
    public Json.RemoteAgentJson get(@PathParam("id") String id) {
        return Json.remote(remotes.get(Callers.of(jwt), id));
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Change a remote agent's poll interval or switch polling on/off")
    public Json.RemoteAgentJson update(@PathParam("id") String id, Json.RemoteUpdate body) {
        Json.RemoteUpdate b = Json.required(body);
        return Json.remote(remotes.update(Callers.of(jwt), id, b.pollIntervalSeconds(), b.enabled()));
    }

    @POST
    @Path("/{id}/refresh")
    @Operation(summary = "Fetch the card now (conditional on its ETag)")
    public Json.RemoteAgentJson refresh(@PathParam("id") String id) {
        return Json.remote(remotes.refresh(Callers.of(jwt), id));
    }
}
