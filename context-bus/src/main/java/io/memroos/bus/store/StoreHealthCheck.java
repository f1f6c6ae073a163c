package io.memroos.bus.store;

import io.memroos.bus.domain.BusStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when the store answers a round trip. */
@Readiness
@ApplicationScoped
class StoreHealthCheck implements HealthCheck {

    private final BusStore store;

    StoreHealthCheck(BusStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        String kind = store instanceof PgBusStore ? "postgres" : "sqlite";
        try {
            store.ping();
            return HealthCheckResponse.named("bus-store").up().withData("store", kind).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("bus-store").down().withData("store", kind)
                    .withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
