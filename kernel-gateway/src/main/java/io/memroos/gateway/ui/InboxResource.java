package io.memroos.gateway.ui;

import io.memroos.gateway.auth.Caller;
import io.memroos.gateway.web.GatewayContext;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The console's Inbox page: the context bus seen by the operator (backlog per agent, message search,
 * dead letters with requeue and purge, threads). Thin: asks the bus through {@link BusApi}, renders a
 * template. When the bus is down the page still renders, with a clear message in place of the data.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class InboxResource {

    private final BusApi bus;
    private final RegistryApi registry;
    private final String version;

    InboxResource(BusApi bus, RegistryApi registry,
                  @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.bus = bus;
        this.registry = registry;
        this.version = version;
    }

    @GET
    @Path("inbox")
    public Uni<Response> inbox(RoutingContext ctx, @QueryParam("q") String q) {
        String rid = GatewayContext.requestId(ctx);
        String query = q == null ? "" : q.trim();
        Uni<Loaded<List<Views.Backlog>>> backlog = loadBacklog(rid);
        Uni<Loaded<List<Views.BusMessage>>> results = query.isEmpty()
                ? Uni.createFrom().item(new Loaded<>(List.<Views.BusMessage>of(), "", false))
                : load(bus.search(query, rid));
        Uni<Loaded<List<Views.DeadLetter>>> dead = load(bus.deadLetters(rid));
        return Uni.combine().all().unis(backlog, results, dead).asTuple().flatMap(t -> {
            boolean down = t.getItem1().down() || t.getItem2().down() || t.getItem3().down();
            return ConsoleResource.html(200, Templates.inbox(page(ctx), down, t.getItem1().value(), t.getItem1().error(),
                    query, t.getItem2().value(), t.getItem2().error(), t.getItem3().value(), t.getItem3().error()));
        });
    }

    @GET
    @Path("fragments/inbox/backlog")
    public Uni<Response> backlogFragment(RoutingContext ctx) {
        return loadBacklog(GatewayContext.requestId(ctx))
                .flatMap(b -> ConsoleResource.html(200, Templates.inboxBacklog(b.value(), b.error())));
    }

    @GET
    @Path("fragments/inbox/dead-letters")
    public Uni<Response> deadLettersFragment(RoutingContext ctx) {
        return deadLetters(ctx, "", "");
    }

    @POST
    @Path("inbox/dead-letters/{id}/requeue")
    public Uni<Response> requeue(RoutingContext ctx, @PathParam("id") String id, @RestForm(Csrf.FIELD) String csrf,
                                 @RestHeader(Csrf.HEADER) String csrfHeader) {
        Csrf.require(GatewayContext.caller(ctx), csrf, csrfHeader);
        return after(ctx, bus.requeue(id, GatewayContext.requestId(ctx)), "Requeued " + id + ": it is back in its inbox.");
    }

    @POST
    @Path("inbox/dead-letters/{id}/purge")
    public Uni<Response> purge(RoutingContext ctx, @PathParam("id") String id, @RestForm(Csrf.FIELD) String csrf,
                               @RestHeader(Csrf.HEADER) String csrfHeader) {
        Csrf.require(GatewayContext.caller(ctx), csrf, csrfHeader);
        return after(ctx, bus.purge(id, GatewayContext.requestId(ctx)), "Purged " + id + ".");
    }

    @GET
    @Path("inbox/threads/{threadId}")
    public Uni<Response> thread(RoutingContext ctx, @PathParam("threadId") String threadId) {
        return bus.thread(threadId, GatewayContext.requestId(ctx))
                .flatMap(found -> found.isEmpty()
                        ? ConsoleResource.html(404, Templates.notFound(page(ctx), "thread " + threadId))
                        : ConsoleResource.html(200, Templates.inboxThread(page(ctx), threadId, found.get(), "")))
                .onFailure().recoverWithUni(err -> ConsoleResource.html(err instanceof BusApi.Unavailable ? 503 : 502,
                        Templates.inboxThread(page(ctx), threadId, List.of(), message(err))));
    }

    /** Runs a dead-letter action, then renders the dead-letters table with what happened. */
    private Uni<Response> after(RoutingContext ctx, Uni<Void> action, String done) {
        return action.map(v -> new String[] {done, ""})
                .onFailure().recoverWithItem(err -> new String[] {"", message(err)})
                .flatMap(notice -> deadLetters(ctx, notice[0], notice[1]))
                // the backlog's counters changed too: it refreshes on this event (see inboxBacklog.html)
                .map(r -> Response.fromResponse(r).header("HX-Trigger", "inbox-changed").build());
    }

    private Uni<Response> deadLetters(RoutingContext ctx, String notice, String noticeError) {
        return load(bus.deadLetters(GatewayContext.requestId(ctx))).flatMap(d -> ConsoleResource.html(
                noticeError.isEmpty() ? 200 : 422, Templates.inboxDead(d.value(), d.error(), notice, noticeError)));
    }

    /** The backlog, with agent names from the registry when it answers (ids alone otherwise). */
    private Uni<Loaded<List<Views.Backlog>>> loadBacklog(String rid) {
        Uni<Map<String, String>> names = registry.agents(rid)
                .map(agents -> agents.stream().collect(Collectors.toMap(Views.Agent::id, Views.Agent::name, (a, b) -> a)))
                .onFailure().recoverWithItem(Map.of());
        return Uni.combine().all().unis(load(bus.backlog(rid)), names).asTuple().map(t -> new Loaded<>(
                t.getItem1().value().stream().map(b -> b.named(t.getItem2().get(b.agentId()))).toList(),
                t.getItem1().error(), t.getItem1().down()));
    }

    private static <T> Uni<Loaded<List<T>>> load(Uni<List<T>> call) {
        return call.map(v -> new Loaded<>(v, "", false))
                .onFailure().recoverWithItem((Function<Throwable, Loaded<List<T>>>) err ->
                        new Loaded<>(List.of(), message(err), err instanceof BusApi.Unavailable));
    }

    private static String message(Throwable err) {
        if (err instanceof BusApi.Unavailable) {
            return BusApi.UNAVAILABLE;
        }
        if (err instanceof BusApi.Refused r) {
            return "The context bus refused: " + r.getMessage();
        }
        return "The context bus could not answer: " + err.getMessage();
    }

    private record Loaded<T>(T value, String error, boolean down) {
    }

    private Views.Page page(RoutingContext ctx) {
        Caller caller = GatewayContext.caller(ctx);
        return new Views.Page("inbox", caller == null || caller.csrfToken() == null ? "" : caller.csrfToken(), version);
    }
}
