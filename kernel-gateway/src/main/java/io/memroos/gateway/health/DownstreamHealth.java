package io.memroos.gateway.health;

import io.memroos.gateway.ui.ServiceHealth;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * The services behind the gateway, in their own health group ({@code /q/health/group/downstream}),
 * so a stopped service never makes the gateway itself unready.
 */
@HealthGroup("downstream")
@Singleton
class DownstreamHealth implements AsyncHealthCheck {

    private final ServiceHealth services;

    DownstreamHealth(ServiceHealth services) {
        this.services = services;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return services.downstream(null).map(list -> {
            HealthCheckResponseBuilder b = HealthCheckResponse.named("downstream").up();
            for (var s : list) {
                b.withData(s.name(), s.state() + " " + s.url());
                if (!s.up()) {
                    b.down();
                }
            }
            return b.build();
        });
    }
}
