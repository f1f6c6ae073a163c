package io.memroos.bus.governance;

import io.memroos.contract.outbox.OutboxStats;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The outbox's state in {@code /q/health/ready}. Always UP: a governance outage only delays events, the
 * bus keeps working (the data says how far behind the outbox is).
 */
@Readiness
@ApplicationScoped
class OutboxHealthCheck implements HealthCheck {

    private final GovernanceRelay relay;

    OutboxHealthCheck(GovernanceRelay relay) {
        this.relay = relay;
    }

    @Override
    public HealthCheckResponse call() {
        OutboxStats s = relay.stats();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("governance-outbox").up()
                .withData("enabled", relay.enabled())
                .withData("governanceUrl", relay.url())
                .withData("pending", s.pending())
                .withData("parked", s.parked())
                .withData("delivered", s.delivered())
                .withData("failures", s.failures())
                .withData("running", s.running());
        if (s.lastError() != null) {
            b.withData("lastError", s.lastError()).withData("lastErrorAt", String.valueOf(s.lastErrorAt()));
        }
        if (s.lastDeliveryAt() != null) {
            b.withData("lastDeliveryAt", s.lastDeliveryAt().toString());
        }
        return b.build();
    }
}
