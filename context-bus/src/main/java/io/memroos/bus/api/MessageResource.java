package io.memroos.bus.api;

import io.memroos.bus.domain.BusStore;
import io.memroos.bus.domain.MessageService;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
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

import java.net.URI;

/** Send, acknowledge, read messages and threads. */
@Path("/api/agent-context")
@Authenticated
@Blocking
@Tag(name = "messages")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MessageResource {

    private final MessageService bus;
    private final JsonWebToken jwt;

    MessageResource(MessageService bus, JsonWebToken jwt) {
        this.bus = bus;
        this.jwt = jwt;
    }

    @POST
    @Path("messages")
    @Operation(summary = "Send a message to agents, or to every agent with a capability")
    @APIResponse(responseCode = "201", description = "Enqueued")
    @APIResponse(responseCode = "200", description = "Idempotent replay: the first message sent with this key")
    @APIResponse(responseCode = "400", description = "A field is invalid (named in the problem)")
    @APIResponse(responseCode = "404", description = "A recipient does not exist or is deregistered")
    @APIResponse(responseCode = "413", description = "The body is larger than the limit")
    @APIResponse(responseCode = "429", description = "A recipient's backlog is full")
    @APIResponse(responseCode = "503", description = "The registry cannot be reached to resolve recipients")
    public Response send(Json.SendBody body) {
        BusStore.SendResult r = bus.send(Callers.of(jwt), Json.send(Json.required(body)));
        Json.MessageJson m = Json.message(r.message());
        if (r.replay()) {
            return Response.ok(m).header("Idempotent-Replay", "true").build();
        }
        return Response.created(URI.create("/api/agent-context/messages/" + m.id())).entity(m).build();
    }

    @GET
    @Path("messages/{id}")
    @Operation(summary = "Read a message the caller sent or received")
    @APIResponse(responseCode = "404", description = "No such message for this caller")
    public Json.MessageJson get(@PathParam("id") String id) {
        return Json.message(bus.message(Callers.of(jwt), id));
    }

    @POST
    @Path("messages/{id}/ack")
    @Operation(summary = "Acknowledge a delivered message: it is never delivered to this agent again")
    @APIResponse(responseCode = "200", description = "Acknowledged (or already acknowledged)")
    @APIResponse(responseCode = "404", description = "No such message in the caller's inbox")
    @APIResponse(responseCode = "409", description = "Dead-lettered, not yet delivered, or a stale receipt")
    public Json.AckJson ack(@PathParam("id") String id,
                            @Parameter(description = "Operators: whose inbox") @QueryParam("agentId") String agentId,
                            Json.AckBody body) {
        return Json.ack(bus.ack(Callers.of(jwt), agentId, id, body == null ? null : body.receipt()));
    }

    @POST
    @Path("messages/{id}/nack")
    @Operation(summary = "Release a delivered message: it is delivered again after delaySeconds")
    @APIResponse(responseCode = "200", description = "Released")
    @APIResponse(responseCode = "404", description = "No such message in the caller's inbox")
    @APIResponse(responseCode = "409", description = "Acknowledged, dead-lettered, not delivered, or a stale receipt")
    public Json.AckJson nack(@PathParam("id") String id, @QueryParam("agentId") String agentId, Json.NackBody body) {
        bus.nack(Callers.of(jwt), agentId, id, body == null ? null : body.receipt(),
                body == null ? null : body.delaySeconds());
        return new Json.AckJson(id, "nacked");
    }

    @GET
    @Path("threads/{threadId}")
    @Operation(summary = "A conversation in the order sent (an agent sees the messages it sent or received)")
    @APIResponse(responseCode = "404", description = "No such thread for this caller")
    public Json.ThreadJson thread(@PathParam("threadId") String threadId) {
        return new Json.ThreadJson(threadId,
                bus.thread(Callers.of(jwt), threadId).stream().map(Json::message).toList());
    }
}
