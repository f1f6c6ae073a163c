package io.memroos.governance.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.memroos.governance.domain.AuditLog;
import io.memroos.governance.domain.ChainVerifier;
import io.memroos.governance.domain.EvidenceService;
import io.memroos.governance.domain.GovernanceStore;
import io.memroos.governance.domain.IngestService;
import io.memroos.governance.domain.Labels;
import io.memroos.governance.domain.PolicyService;
import io.memroos.governance.domain.RecordService;
import io.memroos.governance.domain.Signer;
import io.memroos.governance.store.PgStoreFactory;
import io.memroos.governance.store.SqliteGovernanceStore;
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

/** Builds the plain-Java domain from configuration: the one place that knows which store is in use. */
@Singleton
class GovWiring {

    private static final Logger LOG = Logger.getLogger(GovWiring.class);

    private final GovConfig config;
    private final Path dataDir;

    GovWiring(GovConfig config, @ConfigProperty(name = "memroos.data-dir") String dataDir) {
        this.config = config;
        this.dataDir = Path.of(dataDir).toAbsolutePath();
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    GovernanceStore store(Instance<AgroalDataSource> dataSource, Instance<Flyway> flyway, ObjectMapper json) {
        if (config.store() == GovConfig.StoreKind.postgres) {
            GovConfig.PostgresSettings pg = config.postgres();
            PgStoreFactory.Settings settings = new PgStoreFactory.Settings(pg.url(), pg.user().orElse(null),
                    pg.password().orElse(null), pg.schema(), pg.poolSize());
            GovernanceStore store = PgStoreFactory.open(settings, json);
            LOG.infof("governance store: postgres at %s", settings.describe());
            return store;
        }
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dataDir, e);
        }
        flyway.get().migrate();
        LOG.infof("governance store: sqlite at %s", dataDir.resolve("governance.db"));
        return new SqliteGovernanceStore(dataSource.get(), json, config.sqlite().groupCommit());
    }

    void closeStore(@Disposes GovernanceStore store) throws Exception {
        if (store instanceof AutoCloseable c) {
            c.close();
        }
    }

    @Produces
    @Singleton
    Signer signer() {
        return Signer.openOrCreate(dataDir.resolve("keys"));
    }

    @Produces
    @Singleton
    AuditLog auditLog(GovernanceStore store, Signer signer, Clock clock) {
        return new AuditLog(store, signer, clock, config.audit().maxBatch(), config.audit().checkpointEvery());
    }

    void closeLog(@Disposes AuditLog log) {
        log.close();
    }

    @Produces
    @Singleton
    Labels labels(GovernanceStore store, AuditLog log, Clock clock) {
        return new Labels(config.labels(), store, log, clock);
    }

    @Produces
    @Singleton
    PolicyService policies(GovernanceStore store, Labels labels, AuditLog log, Clock clock) {
        PolicyService p = new PolicyService(store, labels, log, clock, dataDir.resolve("governance").resolve("policies"));
        p.start();
        return p;
    }

    @Produces
    @Singleton
    IngestService ingest(AuditLog log, Labels labels) {
        return new IngestService(log, labels);
    }

    @Produces
    @Singleton
    RecordService records(AuditLog log, GovernanceStore store, Clock clock) {
        return new RecordService(log, store, clock);
    }

    @Produces
    @Singleton
    EvidenceService evidence(GovernanceStore store, AuditLog log, Signer signer, Clock clock) {
        return new EvidenceService(store, log, signer, clock);
    }

    @Produces
    @Singleton
    ChainVerifier verifier(GovernanceStore store, Signer signer, Clock clock) {
        return new ChainVerifier(store, signer, clock);
    }
}
