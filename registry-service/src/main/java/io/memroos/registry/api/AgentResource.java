package io.memroos.registry.api;

import io.memroos.registry.domain.AgentDraft;
import io.memroos.registry.domain.AgentPatch;
import io.memroos.registry.domain.AgentService;
import io.memroos.registry.domain.AgentView;
import io.memroos.registry.domain.Endpoint;
import io.memroos.registry.domain.Liveness;
import io.memroos.registry.domain.Page;
import io.memroos.registry.domain.RegistryException;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Canonical agents. */
@Path("/api/agents")
@Authenticated
@Tag(name = "agents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AgentResource {

    private static final Logger LOG = Logger.getLogger(AgentResource.class);

    private final AgentService agents;
    private final JsonWebToken jwt;

    AgentResource(AgentService agents, JsonWebToken jwt) {
        this.agents = agents;
        this.jwt = jwt;
    }

    @POST
    @Operation(summary = "Register an agent (operator)")
    @APIResponse(responseCode = "201", description = "Registered")
    public Response register(Json.Registration body) {
        Json.Registration b = Json.required(body);
        AgentView view = agents.register(Callers.of(jwt), new AgentDraft(b.name(), b.description(), b.owner(),
                b.capabilities(), Json.skills(b.skills()), endpointRequired(b.endpoint())));
        LOG.infof("registered agent %s (%s)", view.agent().id(), view.agent().name());
        return Response.created(URI.create("/api/agents/" + view.agent().id())).entity(Json.agent(view)).build();
    }

    @GET
    @Operation(summary = "List agents (operator), filtered and paged")
    public Json.AgentPage list(
            @Parameter(description = "Only agents declaring this capability") @QueryParam("capability") String capability,
            @Parameter(description = "Only agents in this liveness: online, stale, offline, unreachable")
            @QueryParam("status") String status,
            @Parameter(description = "Also list deregistered agents") @QueryParam("includeDeregistered") String includeDeregistered,
            @Parameter(description = "Opaque cursor from a previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "Page size, 1..200, default 50") @QueryParam("limit") String limit) {
        Liveness liveness = status == null || status.isBlank() ? null : Liveness.parse("status", status);
        Page<AgentView> page = agents.list(Callers.of(jwt), capability, liveness,
                Params.bool("includeDeregistered", includeDeregistered), decodeCursor(cursor),
                Params.integer("limit", limit));
        return new Json.AgentPage(page.items().stream().map(Json::agent).toList(), encodeCursor(page.nextAfterId()));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read an agent (operator, or the agent itself)")
    public Json.AgentJson get(@PathParam("id") String id) {
        return Json.agent(agents.get(Callers.of(jwt), id));
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Update some fields of an agent (operator, or the agent itself)")
    public Json.AgentJson update(@PathParam("id") String id, Json.Update body) {
        Json.Update b = Json.required(body);
        AgentPatch patch = new AgentPatch(b.name(), b.description(), b.owner(), b.capabilities(),
                Json.skills(b.skills()), Json.endpoint(b.endpoint()));
        return Json.agent(agents.update(Callers.of(jwt), id, patch));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Deregister an agent (operator); soft, its keys stop verifying")
    @APIResponse(responseCode = "204", description = "Deregistered")
    public Response deregister(@PathParam("id") String id) {
        agents.deregister(Callers.of(jwt), id);
        LOG.infof("deregistered agent %s", id);
        return Response.noContent().build();
    }

    private static Endpoint endpointRequired(Json.EndpointBody body) {
        if (body == null) {
            throw RegistryException.invalid("endpoint", "must not be null");
        }
        return Json.endpoint(body);
    }

    static String encodeCursor(String afterId) {
        return afterId == null ? null
                : Base64.getUrlEncoder().withoutPadding().encodeToString(("a:" + afterId).getBytes(StandardCharsets.UTF_8));
    }

    static String decodeCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith("a:") && text.length() > 2) {
                return text.substring(2);
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw RegistryException.invalid("cursor", "is not a cursor from this API");
    }
}
