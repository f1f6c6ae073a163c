package io.memroos.a2a.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** Migrates a PostgreSQL schema with Flyway (JDBC) and opens a reactive pool on it. */
public final class PgStoreFactory {

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /**
     * Where the store lives.
     *
     * @param url      {@code postgresql://host:port/database} (a {@code jdbc:} prefix is accepted)
     * @param user     overrides the user in the URL when not null
     * @param password may be null (trust authentication)
     * @param database overrides the database in the URL when not null
     * @param schema   the schema holding the broker tables, created when missing
     */
    public record Settings(String url, String user, String password, String database, String schema, int poolSize) {
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

        PgConnectOptions connectOptions() {
            String uri = url.startsWith("jdbc:") ? url.substring(5) : url;
            PgConnectOptions options = PgConnectOptions.fromUri(uri);
            if (user != null) {
                options.setUser(user);
            }
            if (password != null) {
                options.setPassword(password);
            }
            if (database != null) {
                options.setDatabase(database);
            }
            return options.setProperties(Map.of("search_path", schema, "application_name", "memroos-a2a"));
        }

        /** host:port/database, for logs (no credentials). */
        public String describe() {
            PgConnectOptions o = connectOptions();
            return o.getHost() + ":" + o.getPort() + "/" + o.getDatabase() + " schema " + schema;
        }
    }

    private PgStoreFactory() {
    }

    public static void migrate(Settings settings) {
        PgConnectOptions o = settings.connectOptions();
        String jdbcUrl = "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
        Flyway.configure()
                .dataSource(jdbcUrl, o.getUser(), o.getPassword())
                .schemas(settings.schema())
                .createSchemas(true)
                .locations("classpath:db/migration/postgres")
                .load()
                .migrate();
    }

    public static PgTaskStore open(Vertx vertx, Settings settings, ObjectMapper json) {
        migrate(settings);
        Pool pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(settings.poolSize()).setName("memroos-a2a"))
                .connectingTo(settings.connectOptions())
                .using(vertx)
                .build();
        return new PgTaskStore(pool, json, Duration.ofSeconds(10));
    }
}
