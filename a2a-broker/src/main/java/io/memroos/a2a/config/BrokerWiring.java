package io.memroos.a2a.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.memroos.a2a.broker.PushSender;
import io.memroos.a2a.broker.RestAgents;
import io.memroos.a2a.broker.TaskService;
import io.memroos.a2a.broker.Upstream;
import io.memroos.a2a.broker.UrlGuard;
import io.memroos.a2a.domain.Directory;
import io.memroos.a2a.domain.TaskStore;
import io.memroos.a2a.registry.RegistryClient;
import io.memroos.a2a.store.PgStoreFactory;
import io.memroos.a2a.store.PgTaskStore;
import io.memroos.a2a.store.SqliteTaskStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Builds the broker from configuration: the one place that knows which store is in use. */
@Singleton
class BrokerWiring {

    private static final Logger LOG = Logger.getLogger(BrokerWiring.class);

    private final A2aConfig config;
    private final ExecutorService background = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "a2a-delivery");
        t.setDaemon(true);
        return t;
    });

    BrokerWiring(A2aConfig config) {
        this.config = config;
    }

    @Produces
    @Singleton
    TaskStore taskStore(Instance<AgroalDataSource> dataSource, Instance<Flyway> flyway, Vertx vertx, ObjectMapper json,
                        @ConfigProperty(name = "memroos.data-dir") String dataDir) {
        if (config.store() == A2aConfig.StoreKind.postgres) {
            A2aConfig.PostgresSettings pg = config.postgres();
            PgStoreFactory.Settings settings = new PgStoreFactory.Settings(pg.url(), pg.user().orElse(null),
                    pg.password().orElse(null), pg.database().orElse(null), pg.schema(), pg.poolSize());
            PgTaskStore store = PgStoreFactory.open(vertx, settings, json);
            LOG.infof("a2a store: postgres at %s", settings.describe());
            return store;
        }
        Path dir = Path.of(dataDir).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
        flyway.get().migrate();
        LOG.infof("a2a store: sqlite at %s", dir.resolve("a2a.db"));
        return new SqliteTaskStore(dataSource.get(), json);
    }

    void closeStore(@Disposes TaskStore store) {
        if (store instanceof PgTaskStore pg) {
            pg.close();
        }
    }

    @Produces
    @Singleton
    Directory directory() {
        return new RegistryClient(config.registry().url(), config.registry().signingKey(),
                config.registry().cacheFor());
    }

    @Produces
    @Singleton
    UrlGuard pushGuard() {
        return new UrlGuard(config.push().allowedUrlPrefixes().orElse(List.of()), config.push().publicHostsAllowed(),
                InetAddress::getAllByName);
    }

    @Produces
    @Singleton
    TaskService taskService(TaskStore store, Directory directory, UrlGuard guard, Vertx vertx) {
        return new TaskService(store, directory, new Upstream(config.delivery().timeout(), vertx),
                new RestAgents(config.publicUrl(), config.delivery().timeout()), guard, background,
                Clock.systemUTC(), config.delivery().deadline(), config.delivery().retryEvery());
    }

    @Produces
    @Singleton
    PushSender pushSender(TaskStore store, UrlGuard guard) {
        return new PushSender(store, guard, Clock.systemUTC());
    }

    void onStart(@Observes StartupEvent event, TaskStore store, TaskService tasks) {
        store.ping();
        tasks.recover();
    }

    void onStop(@Observes ShutdownEvent event) {
        background.shutdownNow();
    }

    @Singleton
    static class Jobs {
        private final TaskService tasks;
        private final PushSender push;

        Jobs(TaskService tasks, PushSender push) {
            this.tasks = tasks;
            this.push = push;
        }

        @Scheduled(every = "${memroos.a2a.delivery.retry-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
        void retry() {
            tasks.retryDue();
        }

        @Scheduled(every = "0.5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
        void push() {
            push.deliverDue();
        }

        @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
        void housekeeping() {
            tasks.store().housekeeping();
        }
    }
}
