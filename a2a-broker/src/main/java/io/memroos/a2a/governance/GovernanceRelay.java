package io.memroos.a2a.governance;

import io.memroos.a2a.config.A2aConfig;
import io.memroos.a2a.domain.TaskStore;
import io.memroos.a2a.registry.ServiceTokens;
import io.memroos.a2a.store.OutboxAware;
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
 * Sends the broker's outbox (task and webhook audit events) to governance ({@code POST /internal/events}) with a
 * {@code service:a2a-broker} token, from startup to shutdown (docs/outbox.md, docs/a2a-broker.md).
 */
@Singleton
public class GovernanceRelay {

    private static final Logger LOG = Logger.getLogger(GovernanceRelay.class);

    private final OutboxRelay relay;
    private final boolean enabled;
    private final String url;

    GovernanceRelay(TaskStore store, A2aConfig config, MeterRegistry meters) {
        A2aConfig.GovernanceSettings g = config.governance();
        OutboxAware outbox = (OutboxAware) store;
        this.enabled = g.enabled();
        this.url = stripSlash(g.url());
        ServiceTokens tokens = new ServiceTokens(g.signingKey());
        this.relay = OutboxRelay.builder(outbox.outbox(), URI.create(url + "/internal/events"), tokens::token)
                .name("a2a-broker")
                .batchSize(g.batchSize())
                .pollInterval(g.pollInterval())
                .backoff(g.backoffInitial(), g.backoffMax())
                .retention(g.retention(), g.purgeEvery())
                .build();
        if (enabled) {
            outbox.onOutboxAppend(relay::wake);
        }
        Gauge.builder("memroos.outbox.pending", relay, r -> r.stats().pending())
                .description("audit events not yet delivered to governance").register(meters);
        Gauge.builder("memroos.outbox.parked", relay, r -> r.stats().parked())
                .description("audit events governance refused, set aside").register(meters);
        Gauge.builder("memroos.outbox.delivered", relay, r -> r.stats().delivered())
                .description("audit events delivered since start").register(meters);
        Gauge.builder("memroos.outbox.failures", relay, r -> r.stats().failures())
                .description("failed deliveries to governance since start").register(meters);
    }

    void onStart(@Observes StartupEvent event) {
        if (enabled) {
            relay.start();
            LOG.infof("outbox relay to governance at %s started", url);
        } else {
            LOG.warn("outbox relay disabled (memroos.a2a.governance.enabled=false): audit events stay in the outbox");
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
