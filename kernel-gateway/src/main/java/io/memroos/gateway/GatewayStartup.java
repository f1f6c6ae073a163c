package io.memroos.gateway;

import io.memroos.gateway.auth.SessionStore;
import io.memroos.gateway.keys.GatewayKeys;
import io.memroos.gateway.proxy.RouteTable;
import io.memroos.gateway.proxy.ServiceClient;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import java.util.stream.Collectors;

/**
 * First start work, in this order: the data directory, the JWT key files and the operator key
 * ({@link GatewayKeys}), then gateway.db's schema; then the lines an operator needs to begin.
 */
@Singleton
class GatewayStartup {

    private static final Logger LOG = Logger.getLogger("io.memroos.gateway");

    private final GatewayKeys keys;
    private final Flyway flyway;
    private final ServiceClient client;
    private final SessionStore sessions;
    private final String host;
    private final int port;

    GatewayStartup(GatewayKeys keys, Flyway flyway, ServiceClient client, SessionStore sessions,
                   @ConfigProperty(name = "quarkus.http.host") String host,
                   @ConfigProperty(name = "quarkus.http.port") int port) {
        this.keys = keys;
        this.flyway = flyway;
        this.client = client;
        this.sessions = sessions;
        this.host = host;
        this.port = port;
    }

    void onStart(@Observes StartupEvent event) {
        flyway.migrate();
        String shownHost = "0.0.0.0".equals(host) ? "localhost" : host;
        LOG.infof("MemRoOS gateway: data directory %s", keys.dataDir());
        if (keys.rsa().created()) {
            LOG.infof("MemRoOS gateway: created the internal JWT key pair in %s", keys.dataDir().resolve("keys"));
        }
        LOG.infof("MemRoOS gateway: operator key is kept in %s", keys.operatorKeySource());
        LOG.infof("MemRoOS gateway: operator console at http://%s:%d/ (listening on %s:%d)", shownHost, port, host, port);
        String routes = client.routes().routes().stream()
                .collect(Collectors.groupingBy(r -> r.service().name() + " (" + r.service().baseUrl() + ")",
                        java.util.TreeMap::new, Collectors.mapping(RouteTable.Route::prefix, Collectors.joining(", "))))
                .entrySet().stream().map(e -> e.getKey() + " <- " + e.getValue())
                .collect(Collectors.joining("; "));
        LOG.infof("MemRoOS gateway: routing %s", routes.isEmpty() ? "nothing (no routes configured)" : routes);
    }

    @Scheduled(every = "10m", delayed = "1m")
    void purgeSessions() {
        int removed = sessions.purgeExpired();
        if (removed > 0) {
            LOG.debugf("removed %d expired console sessions", removed);
        }
    }
}
