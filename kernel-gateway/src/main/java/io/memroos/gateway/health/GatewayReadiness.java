package io.memroos.gateway.health;

import io.memroos.gateway.auth.SessionStore;
import io.memroos.gateway.keys.GatewayKeys;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import jakarta.inject.Singleton;

/** Ready when gateway.db answers and both JWT key files are on disk. */
@Readiness
@Singleton
class GatewayReadiness implements HealthCheck {

    private final GatewayKeys keys;
    private final SessionStore sessions;

    GatewayReadiness(GatewayKeys keys, SessionStore sessions) {
        this.keys = keys;
        this.sessions = sessions;
    }

    @Override
    public HealthCheckResponse call() {
        boolean db = sessions.ping();
        boolean keyFiles = keys.keyFilesPresent();
        return HealthCheckResponse.named("gateway")
                .status(db && keyFiles)
                .withData("gateway.db", db ? "UP" : "DOWN")
                .withData("keyFiles", keyFiles ? "UP" : "DOWN")
                .build();
    }
}
