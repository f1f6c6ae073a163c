package io.memroos.a2a.store;

import io.memroos.a2a.domain.TaskStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when the store answers a round trip. */
@Readiness
@ApplicationScoped
class StoreHealthCheck implements HealthCheck {

    private final TaskStore store;

    StoreHealthCheck(TaskStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        String kind = store instanceof PgTaskStore ? "postgres" : "sqlite";
        try {
            store.ping();
            return HealthCheckResponse.named("a2a-store").up().withData("store", kind).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("a2a-store").down().withData("store", kind)
                    .withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
