package io.memroos.bus.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** OpenAPI metadata of the context bus; every route needs the gateway's internal JWT. */
@OpenAPIDefinition(
        info = @Info(title = "MemRoOS context-bus", version = "0.1.0",
                description = "Durable agent inboxes: send, receive (long poll, SSE, webhook push), acknowledge, "
                        + "threads, peers, dead letters and the operator's views."),
        tags = {
                @Tag(name = "messages", description = "Send, acknowledge and read messages and threads"),
                @Tag(name = "inbox", description = "Receive: long poll and server-sent events"),
                @Tag(name = "subscriptions", description = "Webhook push of an agent's inbox"),
                @Tag(name = "peers", description = "The agents an agent may talk to"),
                @Tag(name = "admin", description = "Operator views: backlog, search, dead letters, outbox")
        },
        components = @Components(securitySchemes = @SecurityScheme(securitySchemeName = BusApplication.JWT,
                type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
                description = "Internal RS256 JWT minted by kernel-gateway (iss memroos-gateway, aud memroos-internal)")),
        security = @SecurityRequirement(name = BusApplication.JWT))
public class BusApplication extends Application {
    static final String JWT = "internalJwt";
}
