package io.memroos.bus.api;

import io.memroos.bus.domain.PushService;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Webhook push of an agent's inbox. Each message is POSTed as an InboxItem with
 * {@code X-MemRoOS-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}; a 2xx acknowledges
 * it, anything else retries with exponential backoff.
 */
@Path("/api/agent-context/subscriptions")
@Authenticated
@Blocking
@Tag(name = "subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SubscriptionResource {

    private final PushService push;
    private final JsonWebToken jwt;

    SubscriptionResource(PushService push, JsonWebToken jwt) {
        this.push = push;
        this.jwt = jwt;
    }

    @POST
    @Operation(summary = "Create or replace the caller's push subscription (url defaults to its rest endpoint)")
    @APIResponse(responseCode = "200", description = "The subscription, with its secret")
    public Json.SubscriptionJson subscribe(@QueryParam("agentId") String agentId, Json.SubscriptionBody body) {
        Json.SubscriptionBody b = body == null ? new Json.SubscriptionBody(null, null, null) : body;
        return Json.subscription(push.subscribe(Callers.of(jwt), agentId, b.url(), b.secret(), b.enabled()));
    }

    @GET
    @Operation(summary = "The caller's push subscription")
    @APIResponse(responseCode = "404", description = "None")
    public Json.SubscriptionJson get(@QueryParam("agentId") String agentId) {
        return Json.subscription(push.subscription(Callers.of(jwt), agentId));
    }

    @DELETE
    @Operation(summary = "Stop pushing; messages wait in the inbox again")
    @APIResponse(responseCode = "204", description = "Removed")
    public Response delete(@QueryParam("agentId") String agentId) {
        push.unsubscribe(Callers.of(jwt), agentId);
        return Response.noContent().build();
    }
}
