package io.memroos.governance.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import org.flywaydb.core.Flyway;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/** Migrates a PostgreSQL schema with Flyway and opens a JDBC pool whose connections use that schema. */
public final class PgStoreFactory {

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /**
     * Where the store lives.
     *
     * @param url      {@code postgresql://host:port/database} (a {@code jdbc:} prefix is accepted)
     * @param password may be null (trust authentication)
     * @param schema   the schema holding the governance tables, created when missing
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
                    + "&ApplicationName=memroos-governance";
        }

        /** host:port/database and schema, for logs (no credentials). */
        public String describe() {
            String u = url.startsWith("jdbc:") ? url.substring(5) : url;
            int at = u.indexOf('@');
            return (at >= 0 ? "postgresql://" + u.substring(at + 1) : u) + " schema " + schema;
        }
    }

    private PgStoreFactory() {
    }

    public static void migrate(Settings settings) {
        Flyway.configure()
                .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
                .schemas(settings.schema())
                .createSchemas(true)
                .locations("classpath:db/migration/postgres")
                .load()
                .migrate();
    }

    public static PgGovernanceStore open(Settings settings, ObjectMapper json) {
        migrate(settings);
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
            return new PgGovernanceStore(AgroalDataSource.from(config), json);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the PostgreSQL pool: " + e.getMessage(), e);
        }
    }
}
