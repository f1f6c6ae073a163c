package io.memroos.governance.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;

/**
 * With {@code memroos.governance.store=postgres} the SQLite datasource (and its Flyway) is deactivated, so one
 * setting switches the store. An explicit {@code quarkus.datasource.active} elsewhere still wins.
 */
public class StoreConfigSourceFactory implements ConfigSourceFactory {

    private static final int ORDINAL = 150;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue store = context.getValue("memroos.governance.store");
        if (store != null && "postgres".equals(store.getValue())) {
            return List.of(new PropertiesConfigSource(Map.of("quarkus.datasource.active", "false"),
                    "memroos.governance.store", ORDINAL));
        }
        return List.of();
    }
}
