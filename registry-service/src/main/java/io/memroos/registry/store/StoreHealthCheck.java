package io.memroos.registry.store;

import io.memroos.registry.domain.AgentStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when the store answers a round trip. */
@Readiness
@ApplicationScoped
class StoreHealthCheck implements HealthCheck {

    private final AgentStore store;

    StoreHealthCheck(AgentStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        String kind = store instanceof PgAgentStore ? "postgres" : "sqlite";
        try {
            store.ping();
            return HealthCheckResponse.named("registry-store").up().withData("store", kind).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("registry-store").down().withData("store", kind)
                    .withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
