package io.memroos.gateway.ui;

import io.memroos.gateway.auth.Caller;
import io.memroos.gateway.web.GatewayContext;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

/**
 * The operator console: server-rendered pages and the htmx fragments they refresh. Thin: it reads
 * the form, asks the registry through {@link RegistryApi}, renders a template.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class ConsoleResource {

    private final RegistryApi registry;
    private final ServiceHealth health;
    private final String version;

    ConsoleResource(RegistryApi registry, ServiceHealth health,
                    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.registry = registry;
        this.health = health;
        this.version = version;
    }

    @GET
    public Uni<Response> overview(RoutingContext ctx) {
        return Uni.combine().all().unis(health.all(gatewayUrl(ctx), GatewayContext.requestId(ctx)), loadAgents(ctx))
                .asTuple().flatMap(t -> html(200, Templates.overview(page(ctx, "overview"), t.getItem1(),
                        Views.AgentSummary.of(t.getItem2().agents, t.getItem2().error))));
    }

    @GET
    @Path("fragments/services")
    public Uni<Response> servicesFragment(RoutingContext ctx) {
        return health.all(gatewayUrl(ctx), GatewayContext.requestId(ctx))
                .flatMap(services -> html(200, Templates.services(services)));
    }

    @GET
    @Path("agents")
    public Uni<Response> agents(RoutingContext ctx) {
        return loadAgents(ctx).flatMap(r -> html(200,
                Templates.agents(page(ctx, "agents"), r.agents, r.error, Views.AgentForm.empty(), Views.FormErrors.none())));
    }

    @GET
    @Path("fragments/agents")
    public Uni<Response> agentRows(RoutingContext ctx) {
        return loadAgents(ctx).flatMap(r -> html(200, Templates.agentRows(r.agents, r.error)));
    }

    @POST
    @Path("agents")
    public Uni<Response> register(RoutingContext ctx, @RestForm(Csrf.FIELD) String csrf, @RestHeader(Csrf.HEADER) String csrfHeader,
                                  @RestForm String name, @RestForm String description, @RestForm String owner,
                                  @RestForm String capabilities, @RestForm String endpointKind, @RestForm String endpointUrl) {
        Csrf.require(caller(ctx), csrf, csrfHeader);
        Views.AgentForm form = new Views.AgentForm(nz(name), nz(description), nz(owner), nz(capabilities),
                endpointKind == null || endpointKind.isBlank() ? "a2a" : endpointKind, nz(endpointUrl));
        JsonArray caps = new JsonArray();
        Arrays.stream(form.capabilities().split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(caps::add);
        JsonObject draft = new JsonObject()
                .put("name", form.name().trim())
                .put("description", form.description().trim())
                .put("owner", form.owner().trim())
                .put("capabilities", caps)
                .put("skills", new JsonArray())
                .put("endpoint", new JsonObject().put("kind", form.endpointKind()).put("url", form.endpointUrl().trim()));
        return registry.register(draft, GatewayContext.requestId(ctx))
                .map(agent -> Response.seeOther(URI.create("/agents/" + agent.id())).build())
                .onFailure(RegistryApi.Refused.class).recoverWithUni(err -> {
                    RegistryApi.Refused refused = (RegistryApi.Refused) err;
                    return loadAgents(ctx).flatMap(r -> html(422,
                            Templates.agents(page(ctx, "agents"), r.agents, r.error, form, refused.errors)));
                });
    }

    @GET
    @Path("agents/{id}")
    public Uni<Response> agent(RoutingContext ctx, @PathParam("id") String id) {
        String rid = GatewayContext.requestId(ctx);
        return registry.agent(id, rid).flatMap(found -> {
            if (found.isEmpty()) {
                return html(404, Templates.notFound(page(ctx, "agents"), "agent with the id " + id));
            }
            Views.Agent agent = found.get();
            Uni<List<Views.Key>> keys = registry.keys(id, rid);
            Uni<List<Views.Heartbeat>> beats = registry.heartbeats(id, rid).onFailure().recoverWithItem(List.of());
            return Uni.combine().all().unis(keys, beats).asTuple().flatMap(t -> html(200,
                    Templates.agent(page(ctx, "agents"), agent, t.getItem1(), null, "", t.getItem2(),
                            page(ctx, "agents").csrf())));
        });
    }

    @GET
    @Path("fragments/agents/{id}/heartbeats")
    public Uni<Response> heartbeats(RoutingContext ctx, @PathParam("id") String id) {
        String rid = GatewayContext.requestId(ctx);
        return registry.agent(id, rid).flatMap(found -> found.isEmpty()
                ? html(404, Templates.heartbeats(null, List.of()))
                : registry.heartbeats(id, rid).flatMap(b -> html(200, Templates.heartbeats(found.get(), b))));
    }

    @POST
    @Path("agents/{id}/keys")
    public Uni<Response> createKey(RoutingContext ctx, @PathParam("id") String id, @RestForm(Csrf.FIELD) String csrf,
                                   @RestHeader(Csrf.HEADER) String csrfHeader, @RestForm String label) {
        Csrf.require(caller(ctx), csrf, csrfHeader);
        return keysAfter(ctx, id, registry.createKey(id, label, GatewayContext.requestId(ctx)));
    }

    @POST
    @Path("agents/{id}/keys/{keyId}/rotate")
    public Uni<Response> rotateKey(RoutingContext ctx, @PathParam("id") String id, @PathParam("keyId") String keyId,
                                   @RestForm(Csrf.FIELD) String csrf, @RestHeader(Csrf.HEADER) String csrfHeader) {
        Csrf.require(caller(ctx), csrf, csrfHeader);
        return keysAfter(ctx, id, registry.rotateKey(id, keyId, GatewayContext.requestId(ctx)));
    }

    @POST
    @Path("agents/{id}/keys/{keyId}/revoke")
    public Uni<Response> revokeKey(RoutingContext ctx, @PathParam("id") String id, @PathParam("keyId") String keyId,
                                   @RestForm(Csrf.FIELD) String csrf, @RestHeader(Csrf.HEADER) String csrfHeader) {
        Csrf.require(caller(ctx), csrf, csrfHeader);
        return keysAfter(ctx, id, registry.revokeKey(id, keyId, GatewayContext.requestId(ctx)).replaceWith((Views.NewKey) null));
    }

    /** Runs a key action, then renders the keys panel: with the new secret (once), or with the refusal. */
    private Uni<Response> keysAfter(RoutingContext ctx, String id, Uni<Views.NewKey> action) {
        String rid = GatewayContext.requestId(ctx);
        return action.map(k -> new Object[] {k, ""})
                .onFailure(RegistryApi.Refused.class).recoverWithItem(err -> new Object[] {null, err.getMessage()})
                .flatMap(result -> registry.agent(id, rid).flatMap(agent -> registry.keys(id, rid).flatMap(keys -> html(
                        result[1].equals("") ? 200 : 422,
                        Templates.keys(agent.orElse(null), keys, (Views.NewKey) result[0], (String) result[1],
                                page(ctx, "agents").csrf())))));
    }

    private Uni<AgentsResult> loadAgents(RoutingContext ctx) {
        return registry.agents(GatewayContext.requestId(ctx))
                .map(a -> new AgentsResult(a, ""))
                .onFailure().recoverWithItem(err -> new AgentsResult(List.of(), "cannot list agents: " + err.getMessage()));
    }

    private record AgentsResult(List<Views.Agent> agents, String error) {
    }

    private Views.Page page(RoutingContext ctx, String active) {
        Caller caller = caller(ctx);
        return new Views.Page(active, caller == null || caller.csrfToken() == null ? "" : caller.csrfToken(), version);
    }

    private static Caller caller(RoutingContext ctx) {
        return GatewayContext.caller(ctx);
    }

    static Uni<Response> html(int status, TemplateInstance template) {
        return template.createUni().map(body -> Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Cache-Control", "no-store").entity(body).build());
    }

    private static String gatewayUrl(RoutingContext ctx) {
        return ctx.request().scheme() + "://" + ctx.request().authority();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
