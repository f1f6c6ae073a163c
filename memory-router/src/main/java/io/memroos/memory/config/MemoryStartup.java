package io.memroos.memory.config;

import io.agroal.api.AgroalDataSource;
import io.memroos.contract.outbox.JdbcOutboxStore;
import io.memroos.contract.outbox.OutboxRelay;
import io.memroos.contract.outbox.OutboxStats;
import io.memroos.memory.domain.MemoryIndexer;
import io.memroos.memory.fleet.FleetBackends;
import io.memroos.memory.lucene.LuceneIndex;
import io.memroos.memory.receipts.ServiceTokens;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * At start: migrates the records, opens the index (refused when built for another embedding model), catches
 * the index up with the records, then commits it on a timer; starts the receipts relay to governance when a
 * governance URL is configured. At stop: a last index commit.
 */
@Singleton
public class MemoryStartup {

    private static final Logger LOG = Logger.getLogger(MemoryStartup.class);

    private final MemoryIndexer indexer;
    private final LuceneIndex index;
    private final MemoryConfig config;
    private final AgroalDataSource dataSource;
    private ScheduledExecutorService timer;
    private OutboxRelay relay;
    private final JdbcOutboxStore outbox;

    MemoryStartup(MemoryIndexer indexer, LuceneIndex index, MemoryConfig config, AgroalDataSource dataSource,
                  FleetBackends fleet) {
        this.indexer = indexer;
        this.index = index;
        this.config = config;
        this.dataSource = dataSource;
        // the receipts live beside the records: SQLite, or PostgreSQL with memroos.memory.store=postgres
        javax.sql.DataSource records = fleet.recordsDataSource().orElse(dataSource);
        this.outbox = new JdbcOutboxStore(records::getConnection);
    }

    void onStart(@Observes StartupEvent event) {
        long applied = indexer.catchUp();
        LOG.infof("memory index ready: %s", indexer.health());
        if (applied > 0) {
            LOG.infof("rebuilt %d index entries from the records", applied);
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "memory-index-commit");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, config.index().commitEvery().toMillis());
        timer.scheduleWithFixedDelay(() -> {
            try {
                indexer.commit();
            } catch (RuntimeException e) {
                LOG.warnf("index commit failed: %s", e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        Optional<String> url = config.governance().url().filter(u -> !u.isBlank());
        if (url.isPresent()) {
            ServiceTokens tokens = new ServiceTokens(config.governance().signingKey());
            String base = url.get().endsWith("/") ? url.get().substring(0, url.get().length() - 1) : url.get();
            relay = OutboxRelay.builder(outbox, URI.create(base + "/internal/events"), tokens::token)
                    .name("memory-router").batchSize(200).build();
            relay.start();
            LOG.infof("memory receipts relayed to %s/internal/events", base);
        } else {
            LOG.info("memory receipts kept in the outbox (no governance URL configured)");
        }
    }

    /** Relay figures, or only the table's counts when no relay runs. */
    public Object outboxStats() {
        if (relay != null) {
            OutboxStats s = relay.stats();
            return s;
        }
        return java.util.Map.of("pending", outbox.countPending(), "parked", outbox.countParked(), "relay", "off");
    }

    /** Wakes the relay after a write, so receipts go out at once. */
    public void wake() {
        if (relay != null) {
            relay.wake();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (relay != null) {
            relay.close();
        }
        try {
            indexer.commit();
            index.close();
        } catch (RuntimeException e) {
            LOG.warnf("closing the index failed (it is rebuilt from the records at the next start): %s",
                    e.getMessage());
        }
    }
}
