package io.memroos.bus.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.bus.domain.BusException;
import io.memroos.bus.domain.InboxSignals;
import io.memroos.bus.domain.MessageService;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Named;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.memroos.bus.domain.BusStore;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;

/** Receive: long polling and a server-sent event stream. */
@Path("/api/agent-context/inbox")
@Authenticated
@Tag(name = "inbox")
public class InboxResource {

    private final MessageService bus;
    private final InboxSignals signals;
    private final ObjectMapper json;
    private final ExecutorService executor;
    private final JsonWebToken jwt;

    InboxResource(MessageService bus, InboxSignals signals, ObjectMapper json,
                  @Named("bus-executor") ExecutorService executor, JsonWebToken jwt) {
        this.bus = bus;
        this.signals = signals;
        this.json = json;
        this.executor = executor;
        this.jwt = jwt;
    }

    @GET
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Long poll: claim up to max messages, waiting up to wait seconds for the first")
    @APIResponse(responseCode = "200", description = "Zero or more deliveries; ack each before visibleUntil")
    @APIResponse(responseCode = "403", description = "An agent named another agent's inbox")
    public CompletionStage<Json.InboxJson> poll(
            @Parameter(description = "Seconds to wait when the inbox is empty, 0-30") @QueryParam("wait") String wait,
            @Parameter(description = "At most this many messages, 1-200") @QueryParam("max") String max,
            @Parameter(description = "Operators: whose inbox") @QueryParam("agentId") String agentId) {
        return bus.receive(Callers.of(jwt), agentId, Params.integer("wait", wait), Params.integer("max", max))
                .thenApply(list -> new Json.InboxJson(list.stream().map(Json::item).toList()));
    }

    @POST
    @Path("ack")
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Tag(name = "messages")
    @Operation(summary = "Acknowledge several messages at once; each gets its own status")
    public Json.BatchAckJson ackAll(@QueryParam("agentId") String agentId, Json.BatchAckBody body) {
        Json.BatchAckBody b = Json.required(body);
        if (b.acks() == null) {
            throw BusException.invalid("acks", "is required");
        }
        List<BusStore.AckRequest> acks = b.acks().stream()
                .map(a -> new BusStore.AckRequest(a == null ? null : a.messageId(), a == null ? null : a.receipt()))
                .toList();
        return new Json.BatchAckJson(bus.ackAll(Callers.of(jwt), agentId, acks).stream().map(Json::ack).toList());
    }

    @GET
    @Path("stream")
    @Blocking
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Server-sent events: every message as it arrives (event `message`, id = per-inbox "
            + "sequence). Reconnect with Last-Event-ID to get back messages after that id still in flight.")
    @APIResponse(responseCode = "200", description = "The stream")
    public void stream(@HeaderParam("Last-Event-ID") String lastEventId,
                       @Parameter(description = "Same as the Last-Event-ID header") @QueryParam("lastEventId")
                       String lastEventIdParam,
                       @Parameter(description = "Operators: whose inbox") @QueryParam("agentId") String agentId,
                       @Context SseEventSink sink, @Context Sse sse) {
        String inbox = bus.streamInbox(Callers.of(jwt), agentId);
        String resume = lastEventId != null ? lastEventId : lastEventIdParam;
        long after = Long.MAX_VALUE;
        if (resume != null && !resume.isBlank()) {
            try {
                after = Long.parseLong(resume.strip());
            } catch (NumberFormatException e) {
                throw BusException.invalid("Last-Event-ID", "must be an event id of this stream (a number)");
            }
        }
        new InboxStream(bus, signals, json, executor, inbox, after, sink, sse).start();
    }
}
