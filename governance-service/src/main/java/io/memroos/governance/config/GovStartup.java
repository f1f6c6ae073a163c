package io.memroos.governance.config;

import io.memroos.governance.domain.AuditLog;
import io.memroos.governance.domain.GovernanceStore;
import io.memroos.governance.domain.PolicyService;
import io.memroos.governance.store.SqliteGovernanceStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Opens the store, the signing key and the policies at startup (a broken one fails the start), then signs a
 * checkpoint every {@code checkpoint-interval} while events are unsigned, and copies the SQLite WAL back every second.
 */
@Singleton
class GovStartup {

    private static final Logger LOG = Logger.getLogger(GovStartup.class);

    private static final long WAL_CHECKPOINT_MS = 1000;

    private ScheduledExecutorService timer;

    void onStart(@Observes StartupEvent event, GovernanceStore store, AuditLog log, PolicyService policies,
                 GovConfig config) {
        store.ping();
        long t0 = System.nanoTime();
        policies.warmUp();
        LOG.debugf("policy engine warmed up in %d ms", (System.nanoTime() - t0) / 1_000_000);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "governance-timer");
            t.setDaemon(true);
            return t;
        });
        repeat("audit checkpoint", log::checkpointSoon, Math.max(100, config.audit().checkpointInterval().toMillis()));
        if (store instanceof SqliteGovernanceStore s) {
            // every second, not every audit checkpoint: the WAL then holds about a second of writes, and copying it
            // back holds the writers for a few milliseconds, not for the time ten seconds of ingest take
            repeat("WAL checkpoint", s::housekeeping, WAL_CHECKPOINT_MS);
        }
        LOG.infof("governance ready: policy version %d, audit head %d", policies.version(), log.headSeq());
    }

    private void repeat(String what, Runnable task, long everyMillis) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warnf("%s failed: %s", what, e.getMessage());
            }
        }, everyMillis, everyMillis, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
