package io.memroos.registry.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** OpenAPI metadata of the registry; every route needs the gateway's internal JWT. */
@OpenAPIDefinition(
        info = @Info(title = "MemRoOS registry-service", version = "0.1.0",
                description = "Canonical agent identity, agent keys, heartbeats and remote A2A agents."),
        tags = {
                @Tag(name = "agents", description = "Register, read, update, list and deregister agents"),
                @Tag(name = "keys", description = "Agent API keys: issue, list, rotate, revoke"),
                @Tag(name = "heartbeats", description = "Agent heartbeats and liveness"),
                @Tag(name = "remote-agents", description = "Agents ingested from A2A agent cards, and their polling"),
                @Tag(name = "internal", description = "Routes for other MemRoOS services")
        },
        components = @Components(securitySchemes = @SecurityScheme(securitySchemeName = RegistryApplication.JWT,
                type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
                description = "Internal RS256 JWT minted by kernel-gateway (iss memroos-gateway, aud memroos-internal)")),
        security = @SecurityRequirement(name = RegistryApplication.JWT))
public class RegistryApplication extends Application {
    static final String JWT = "internalJwt";
}
