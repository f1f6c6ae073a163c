package io.memroos.memory.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** OpenAPI metadata of the memory router; every route needs the gateway's internal JWT. */
@OpenAPIDefinition(
        info = @Info(title = "MemRoOS memory-router", version = "0.1.0",
                description = "Vector, graph and episodic memory with hybrid recall, versioned facts, receipts and "
                        + "recall evaluation."),
        tags = {
                @Tag(name = "memory", description = "Write, read, update (versioned) and invalidate memories"),
                @Tag(name = "episodes", description = "The append-only episodic log and its full-text search"),
                @Tag(name = "graph", description = "Entities and time-bounded relations"),
                @Tag(name = "recall", description = "Hybrid recall and proactive recollection"),
                @Tag(name = "inventory", description = "Counts, sizes and index health"),
                @Tag(name = "evals", description = "Recall evaluation on a labelled set")
        },
        components = @Components(securitySchemes = @SecurityScheme(securitySchemeName = MemoryApplication.JWT,
                type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
                description = "Internal RS256 JWT minted by kernel-gateway (iss memroos-gateway, aud memroos-internal)")),
        security = @SecurityRequirement(name = MemoryApplication.JWT))
public class MemoryApplication extends Application {
    static final String JWT = "internalJwt";
}
