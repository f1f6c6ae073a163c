package io.memroos.registry.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.memroos.registry.domain.AgentService;
import io.memroos.registry.domain.AgentStore;
import io.memroos.registry.domain.CardSource;
import io.memroos.registry.domain.LivenessPolicy;
import io.memroos.registry.domain.RemoteAgentService;
import io.memroos.registry.remote.HttpCardSource;
import io.memroos.registry.store.PgAgentStore;
import io.memroos.registry.store.PgStoreFactory;
import io.memroos.registry.store.SqliteAgentStore;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** Builds the plain-Java domain from configuration: the one place that knows which store is in use. */
@Singleton
class RegistryWiring {

    private static final Logger LOG = Logger.getLogger(RegistryWiring.class);

    private final RegistryConfig config;

    RegistryWiring(RegistryConfig config) {
        this.config = config;
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    LivenessPolicy livenessPolicy() {
        return new LivenessPolicy(config.liveness().staleAfter(), config.liveness().offlineAfter(),
                config.remote().maxFailures());
    }

    @Produces
    @Singleton
    AgentStore agentStore(Instance<AgroalDataSource> dataSource, Instance<Flyway> flyway, Vertx vertx,
                          ObjectMapper json, @ConfigProperty(name = "memroos.data-dir") String dataDir) {
        if (config.store() == RegistryConfig.StoreKind.postgres) {
            RegistryConfig.PostgresSettings pg = config.postgres();
            PgStoreFactory.Settings settings = new PgStoreFactory.Settings(pg.url(), pg.user().orElse(null),
                    pg.password().orElse(null), pg.database().orElse(null), pg.schema(), pg.poolSize());
            PgAgentStore store = PgStoreFactory.open(vertx, settings, json);
            LOG.infof("registry store: postgres at %s", settings.describe());
            return store;
        }
        Path dir = Path.of(dataDir).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
        flyway.get().migrate();
        LOG.infof("registry store: sqlite at %s", dir.resolve("registry.db"));
        return new SqliteAgentStore(dataSource.get(), json);
    }

    void closeStore(@Disposes AgentStore store) {
        if (store instanceof PgAgentStore pg) {
            pg.close();
        }
    }

    @Produces
    @Singleton
    AgentService agentService(AgentStore store, Clock clock, LivenessPolicy liveness) {
        return new AgentService(store, clock, liveness, config.heartbeat().retain(),
                config.keys().lastUsedResolution());
    }

    @Produces
    @Singleton
    CardSource cardSource(ObjectMapper json) {
        RegistryConfig.RemoteSettings remote = config.remote();
        return new HttpCardSource(remote.allowedUrlPrefixes().orElse(List.of()), remote.publicHostsAllowed(),
                remote.timeout(), remote.maxCardBytes(), remote.maxRedirects(), json);
    }

    @Produces
    @Singleton
    RemoteAgentService remoteAgentService(AgentStore store, AgentService agents, CardSource cards,
                                          LivenessPolicy liveness) {
        return new RemoteAgentService(store, agents, cards, liveness, config.remote().defaultPollIntervalSeconds(),
                config.remote().minPollIntervalSeconds());
    }
}
