package io.memroos.bus.governance;

import io.memroos.bus.config.BusConfig;
import io.memroos.bus.domain.BusStore;
import io.memroos.bus.registry.ServiceTokens;
import io.memroos.bus.store.OutboxAware;
import io.memroos.contract.outbox.OutboxRelay;
import io.memroos.contract.outbox.OutboxStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.URI;

/**
 * Sends the bus's outbox (message and subscription events) to governance ({@code POST /internal/events}) with a
 * {@code service:context-bus} token, from startup to shutdown (docs/outbox.md, docs/context-bus.md).
 */
@Singleton
public class GovernanceRelay {

    private static final Logger LOG = Logger.getLogger(GovernanceRelay.class);

    private final OutboxRelay relay;
    private final boolean enabled;
    private final String url;

    GovernanceRelay(BusStore store, BusConfig config, MeterRegistry meters) {
        BusConfig.GovernanceSettings g = config.governance();
        OutboxAware outbox = (OutboxAware) store;
        this.enabled = g.enabled();
        this.url = stripSlash(g.url());
        ServiceTokens tokens = new ServiceTokens(g.signingKey());
        this.relay = OutboxRelay.builder(outbox.outbox(), URI.create(url + "/internal/events"), tokens::token)
                .name("context-bus")
                .batchSize(g.batchSize())
                .pollInterval(g.pollInterval())
                .backoff(g.backoffInitial(), g.backoffMax())
                .retention(g.retention(), g.purgeEvery())
                .build();
        if (enabled) {
            outbox.onOutboxAppend(relay::wake);
        }
        Gauge.builder("memroos.outbox.pending", relay, r -> r.stats().pending())
                .description("outbox events not yet delivered to governance").register(meters);
        Gauge.builder("memroos.outbox.parked", relay, r -> r.stats().parked())
                .description("outbox events governance refused, set aside").register(meters);
        Gauge.builder("memroos.outbox.delivered", relay, r -> r.stats().delivered())
                .description("outbox events delivered since start").register(meters);
        Gauge.builder("memroos.outbox.failures", relay, r -> r.stats().failures())
                .description("failed deliveries to governance since start").register(meters);
    }

    void onStart(@Observes StartupEvent event) {
        if (enabled) {
            relay.start();
            LOG.infof("outbox relay to governance at %s started", url);
        } else {
            LOG.warn("outbox relay disabled (memroos.bus.governance.enabled=false): events stay in the outbox");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        relay.close();
    }

    public OutboxStats stats() {
        return relay.stats();
    }

    public boolean enabled() {
        return enabled;
    }

    public String url() {
        return url;
    }

    /** Puts events governance refused back in line (after the cause is fixed); returns how many. */
    public int requeueParked() {
        return relay.requeueParked();
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
