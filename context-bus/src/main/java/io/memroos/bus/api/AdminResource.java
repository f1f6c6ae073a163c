package io.memroos.bus.api;

import io.memroos.bus.domain.DeadLetter;
import io.memroos.bus.domain.Message;
import io.memroos.bus.domain.MessageService;
import io.memroos.bus.domain.OutboxEvent;
import io.memroos.bus.domain.Page;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** The operator's views of the bus (for the console's inbox page). Operator tokens only. */
@Path("/api/agent-context/admin")
@Authenticated
@Blocking
@Tag(name = "admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    private final MessageService bus;
    private final JsonWebToken jwt;

    AdminResource(MessageService bus, JsonWebToken jwt) {
        this.bus = bus;
        this.jwt = jwt;
    }

    @GET
    @Path("backlog")
    @Operation(summary = "Backlog per agent: unacknowledged, in flight, dead-lettered, oldest pending")
    @APIResponse(responseCode = "403", description = "Not an operator")
    public Json.BacklogsJson backlog() {
        return new Json.BacklogsJson(bus.backlog(Callers.of(jwt)).stream().map(Json::backlog).toList());
    }

    @GET
    @Path("messages")
    @Operation(summary = "Search messages, newest first (q matches subject or body)")
    public Json.MessagePage search(@QueryParam("q") String q, @QueryParam("sender") String sender,
                                   @QueryParam("recipient") String recipient, @QueryParam("threadId") String threadId,
                                   @QueryParam("cursor") String cursor,
                                   @Parameter(description = "1-200, default 50") @QueryParam("limit") String limit) {
        Page<Message> page = bus.search(Callers.of(jwt), q, sender, recipient, threadId, cursor,
                Params.integer("limit", limit));
        return new Json.MessagePage(page.items().stream().map(Json::message).toList(), page.nextCursor());
    }

    @GET
    @Path("dead-letters")
    @Operation(summary = "Dead letters, newest first, of one agent or all")
    public Json.DeadLetterPage deadLetters(@QueryParam("agentId") String agentId, @QueryParam("cursor") String cursor,
                                           @QueryParam("limit") String limit) {
        Page<DeadLetter> page = bus.deadLetters(Callers.of(jwt), agentId, cursor, Params.integer("limit", limit));
        return new Json.DeadLetterPage(page.items().stream().map(Json::deadLetter).toList(), page.nextCursor());
    }

    @POST
    @Path("dead-letters/{id}/requeue")
    @Operation(summary = "Put a dead letter back in its inbox with a fresh attempt count")
    @APIResponse(responseCode = "204", description = "Requeued")
    @APIResponse(responseCode = "404", description = "No such dead letter")
    public Response requeue(@PathParam("id") String id) {
        bus.requeue(Callers.of(jwt), id);
        return Response.noContent().build();
    }

    @DELETE
    @Path("dead-letters/{id}")
    @Operation(summary = "Purge a dead letter for good")
    @APIResponse(responseCode = "204", description = "Purged")
    @APIResponse(responseCode = "404", description = "No such dead letter")
    public Response purge(@PathParam("id") String id) {
        bus.purge(Callers.of(jwt), id);
        return Response.noContent().build();
    }

    @GET
    @Path("outbox")
    @Operation(summary = "Outbox events after a position (send, delivery, ack, nack, dead letter, requeue, purge)")
    public Json.OutboxJson outbox(@Parameter(description = "Position to read after (0 = from the start)")
                                  @QueryParam("after") String after, @QueryParam("limit") String limit) {
        Integer a = Params.integer("after", after);
        List<OutboxEvent> events = bus.outbox(Callers.of(jwt), a == null ? null : a.longValue(),
                Params.integer("limit", limit));
        long last = events.isEmpty() ? (a == null ? 0 : a) : events.get(events.size() - 1).position();
        return new Json.OutboxJson(events.stream().map(Json::event).toList(), last);
    }
}
