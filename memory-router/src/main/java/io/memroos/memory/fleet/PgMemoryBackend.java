package io.memroos.memory.fleet;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.memroos.memory.store.StoreException;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The PostgreSQL records of the fleet: migrates a schema with Flyway ({@code classpath:db/memory-postgres}) and
 * opens one JDBC pool whose connections use that schema. The records store and the graph store share it (and so
 * share transactions' view of the same database). The caller closes it after the stores.
 */
public final class PgMemoryBackend implements AutoCloseable {

    /** The Flyway location of the PostgreSQL migrations (outside {@code db/migration}, the SQLite ones). */
    public static final String MIGRATIONS = "classpath:db/memory-postgres";

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /**
     * Where the records live.
     *
     * @param url      {@code postgresql://host:port/database} (a {@code jdbc:} prefix is accepted)
     * @param user     may be null (the driver's default)
     * @param password may be null (trust authentication)
     * @param schema   the schema holding the memory tables, created when missing
     * @param poolSize connections in the pool
     */
    public record Settings(String url, String user, String password, String schema, int poolSize) {
        public Settings {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(schema, "schema");
            if (!SCHEMA.matcher(schema).matches()) {
                throw new IllegalArgumentException("schema must match " + SCHEMA.pattern() + ": " + schema);
            }
            if (poolSize < 1) {
                throw new IllegalArgumentException("poolSize must be positive");
            }
        }

        String jdbcUrl() {
            String base = url.startsWith("jdbc:") ? url : "jdbc:" + url;
            return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema
                    + "&ApplicationName=memroos-memory-router";
        }

        /** host:port/database and schema, for logs (never credentials). */
        public String describe() {
            String u = url.startsWith("jdbc:") ? url.substring(5) : url;
            int q = u.indexOf('?');
            if (q >= 0) {
                u = u.substring(0, q);
            }
            int at = u.indexOf('@');
            return (at >= 0 ? "postgresql://" + u.substring(at + 1) : u) + " schema " + schema;
        }

        @Override
        public String toString() {
            return "PgMemoryBackend.Settings[" + describe() + ", pool " + poolSize + "]";
        }
    }

    private final Settings settings;
    private final AgroalDataSource dataSource;

    private PgMemoryBackend(Settings settings, AgroalDataSource dataSource) {
        this.settings = settings;
        this.dataSource = dataSource;
    }

    /** Migrates the schema, then opens the pool. */
    public static PgMemoryBackend open(Settings settings) {
        try {
            Flyway.configure()
                    .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
                    .schemas(settings.schema())
                    .createSchemas(true)
                    .locations(MIGRATIONS)
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new StoreException(StoreException.Kind.UNAVAILABLE,
                    "cannot migrate the PostgreSQL memory schema at " + settings.describe() + ": " + e.getMessage(), e);
        }
        AgroalDataSourceConfigurationSupplier config = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .maxSize(settings.poolSize())
                        .acquisitionTimeout(Duration.ofSeconds(10))
                        .connectionFactoryConfiguration(cf -> {
                            cf.jdbcUrl(settings.jdbcUrl()).autoCommit(true);
                            if (settings.user() != null) {
                                cf.principal(new NamePrincipal(settings.user()));
                            }
                            if (settings.password() != null) {
                                cf.credential(new SimplePassword(settings.password()));
                            }
                            return cf;
                        }));
        try {
            return new PgMemoryBackend(settings, AgroalDataSource.from(config));
        } catch (SQLException e) {
            throw new StoreException(StoreException.Kind.UNAVAILABLE,
                    "cannot open the PostgreSQL pool for " + settings.describe() + ": " + e.getMessage(), e);
        }
    }

    /** The pool (also for the outbox relay: {@code io.memroos.contract.outbox.Dialect.POSTGRESQL}). */
    public DataSource dataSource() {
        return dataSource;
    }

    public Settings settings() {
        return settings;
    }

    public PgMemoryStore memoryStore() {
        return new PgMemoryStore(dataSource);
    }

    public PgGraphStore graphStore() {
        return new PgGraphStore(dataSource);
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
