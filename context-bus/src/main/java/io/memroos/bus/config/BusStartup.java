package io.memroos.bus.config;

import io.memroos.bus.domain.BusStore;
import io.memroos.bus.domain.MessageService;
import io.memroos.bus.domain.PushService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Opens (and migrates) the store at startup, so a broken store fails the start, not the first call; then runs
 * the sweeper (dead letters, expiry, redelivery wake-ups) and the webhook retries on one timer thread.
 */
@Singleton
class BusStartup {

    private static final Logger LOG = Logger.getLogger(BusStartup.class);

    private ScheduledExecutorService timer;

    void onStart(@Observes StartupEvent event, BusStore store, MessageService messages, PushService push,
                 BusConfig config) {
        store.ping();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bus-sweeper");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(50, config.delivery().sweepEvery().toMillis());
        timer.scheduleWithFixedDelay(() -> {
            try {
                messages.sweep();
                store.housekeeping();
            } catch (RuntimeException e) {
                LOG.warnf("sweep failed: %s", e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        if (config.push().enabled()) {
            push.load();
            timer.scheduleWithFixedDelay(() -> {
                try {
                    push.tick();
                } catch (RuntimeException e) {
                    LOG.warnf("push tick failed: %s", e.getMessage());
                }
            }, 1000, 1000, TimeUnit.MILLISECONDS);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
