package io.memroos.governance.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** OpenAPI metadata of the governance service; every route needs the gateway's internal JWT. */
@OpenAPIDefinition(
        info = @Info(title = "MemRoOS governance-service", version = "0.1.0",
                description = "Policy decisions (Cedar), classification labels, the hash-chained audit log with "
                        + "signed checkpoints, receipts and telemetry, evidence bundles."),
        tags = {
                @Tag(name = "audit", description = "The audit log: search, verify, status, public key"),
                @Tag(name = "policies", description = "Policy set, versions and decisions"),
                @Tag(name = "classification", description = "Asset labels and their inheritance"),
                @Tag(name = "receipts", description = "Tool-use receipts, model routing and usage, efficiency"),
                @Tag(name = "evidence", description = "Signed evidence bundles"),
                @Tag(name = "internal", description = "Service-to-service: event ingest, decisions")
        },
        components = @Components(securitySchemes = @SecurityScheme(securitySchemeName = GovApplication.JWT,
                type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
                description = "Internal RS256 JWT minted by kernel-gateway (iss memroos-gateway, aud memroos-internal)")),
        security = @SecurityRequirement(name = GovApplication.JWT))
public class GovApplication extends Application {
    static final String JWT = "internalJwt";
}
