package io.memroos.gateway.ui;

import io.memroos.gateway.proxy.RouteTable;
import io.memroos.gateway.proxy.ServiceClient;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Asks every known service for its readiness, concurrently and briefly; the gateway reports itself. */
@Singleton
public class ServiceHealth {

    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final ServiceClient client;
    private final SmallRyeHealthReporter reporter;

    ServiceHealth(ServiceClient client, SmallRyeHealthReporter reporter) {
        this.client = client;
        this.reporter = reporter;
    }

    /** The gateway first, then each service by name. */
    public Uni<List<Views.ServiceStatus>> all(String gatewayUrl, String requestId) {
        List<Uni<Views.ServiceStatus>> probes = new ArrayList<>();
        probes.add(reporter.getReadinessAsync().map(h -> new Views.ServiceStatus("kernel-gateway", gatewayUrl,
                h.isDown() ? "DOWN" : "UP", h.isDown() ? h.getPayload().toString() : "ready")));
        for (RouteTable.Service service : client.routes().services()) {
            probes.add(probe(service, requestId));
        }
        return Uni.join().all(probes).andFailFast();
    }

    /** Only the downstream services. */
    public Uni<List<Views.ServiceStatus>> downstream(String requestId) {
        List<Uni<Views.ServiceStatus>> probes = client.routes().services().stream().map(s -> probe(s, requestId)).toList();
        return probes.isEmpty() ? Uni.createFrom().item(List.of()) : Uni.join().all(probes).andFailFast();
    }

    private Uni<Views.ServiceStatus> probe(RouteTable.Service service, String requestId) {
        String url = service.baseUrl().toString();
        return Uni.createFrom().completionStage(() -> client.call(service, HttpMethod.GET, "/q/health/ready", null,
                        requestId, null, PROBE_TIMEOUT).toCompletionStage())
                .map(reply -> {
                    String state = reply.status() == 200 ? "UP" : "DOWN";
                    String detail;
                    try {
                        detail = reply.json().getString("status", "HTTP " + reply.status());
                    } catch (RuntimeException notJson) {
                        detail = "HTTP " + reply.status();
                    }
                    return new Views.ServiceStatus(service.name(), url, state, reply.status() == 200 ? "ready" : "not ready: " + detail);
                })
                .onFailure().recoverWithItem(err -> new Views.ServiceStatus(service.name(), url, "UNREACHABLE", err.getMessage()));
    }
}
