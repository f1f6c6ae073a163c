package io.memroos.bus.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.memroos.bus.domain.BusSettings;
import io.memroos.bus.domain.BusStore;
import io.memroos.bus.domain.Directory;
import io.memroos.bus.domain.InboxSignals;
import io.memroos.bus.domain.MessageService;
import io.memroos.bus.domain.PushService;
import io.memroos.bus.push.HttpPushTransport;
import io.memroos.bus.registry.RegistryClient;
import io.memroos.bus.store.PgStoreFactory;
import io.memroos.bus.store.SqliteBusStore;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds the plain-Java domain from configuration: the one place that knows which store is in use. */
@Singleton
class BusWiring {

    private static final Logger LOG = Logger.getLogger(BusWiring.class);

    private final BusConfig config;

    BusWiring(BusConfig config) {
        this.config = config;
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    InboxSignals signals() {
        return new InboxSignals();
    }

    @Produces
    @Singleton
    @Named("bus-executor")
    ExecutorService executor() {
        return Executors.newFixedThreadPool(Math.max(1, config.delivery().threads()), threads("bus-resume"));
    }

    void closeExecutor(@Disposes @Named("bus-executor") ExecutorService executor) {
        executor.shutdownNow();
    }

    @Produces
    @Singleton
    @Named("push-executor")
    ExecutorService pushExecutor() {
        return Executors.newFixedThreadPool(Math.max(1, config.push().threads()), threads("bus-push"));
    }

    void closePushExecutor(@Disposes @Named("push-executor") ExecutorService executor) {
        executor.shutdownNow();
    }

    @Produces
    @Singleton
    BusStore busStore(Instance<AgroalDataSource> dataSource, Instance<Flyway> flyway, ObjectMapper json,
                      @ConfigProperty(name = "memroos.data-dir") String dataDir) {
        if (config.store() == BusConfig.StoreKind.postgres) {
            BusConfig.PostgresSettings pg = config.postgres();
            PgStoreFactory.Settings settings = new PgStoreFactory.Settings(pg.url(), pg.user().orElse(null),
                    pg.password().orElse(null), pg.schema(), pg.poolSize());
            BusStore store = PgStoreFactory.open(settings, json);
            LOG.infof("bus store: postgres at %s", settings.describe());
            return store;
        }
        Path dir = Path.of(dataDir).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
        flyway.get().migrate();
        LOG.infof("bus store: sqlite at %s", dir.resolve("bus.db"));
        return new SqliteBusStore(dataSource.get(), json, config.sqlite().groupCommit());
    }

    void closeStore(@Disposes BusStore store) throws Exception {
        if (store instanceof AutoCloseable c) {
            c.close();
        }
    }

    @Produces
    @Singleton
    Directory directory(ObjectMapper json) {
        return new RegistryClient(config.registryUrl(), config.registry().signingKey(), json,
                config.registry().timeout(), config.registry().cacheTtl());
    }

    @Produces
    @Singleton
    BusSettings settings() {
        BusConfig.Limits l = config.limits();
        BusConfig.DeliverySettings d = config.delivery();
        return new BusSettings(l.maxBodyBytes(), l.maxBacklog(), l.maxPageSize(), l.maxWait(), l.maxRecipients(),
                d.visibilityTimeout(), d.maxAttempts(), d.defaultTtl(), d.maxTtl(), d.maxNackDelay());
    }

    @Produces
    @Singleton
    MessageService messageService(BusStore store, Directory directory, InboxSignals signals, Clock clock,
                                  BusSettings settings, @Named("bus-executor") ExecutorService executor) {
        return new MessageService(store, directory, signals, clock, settings, executor);
    }

    @Produces
    @Singleton
    PushService pushService(BusStore store, MessageService messages, Directory directory, InboxSignals signals,
                            Clock clock, ObjectMapper json, @Named("push-executor") ExecutorService executor) {
        BusConfig.PushSettings p = config.push();
        return new PushService(store, messages, directory, signals, new HttpPushTransport(json, p.timeout()), clock,
                p.timeout(), p.backoffBase(), p.backoffMax(), executor);
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
