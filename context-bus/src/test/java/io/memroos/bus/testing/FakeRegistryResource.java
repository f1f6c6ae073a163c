package io.memroos.bus.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Starts one {@link FakeRegistry} for the @QuarkusTest run and points the bus at it. */
public class FakeRegistryResource implements QuarkusTestResourceLifecycleManager {

    private static FakeRegistry registry;

    public static synchronized FakeRegistry registry() {
        if (registry == null) {
            try {
                registry = new FakeRegistry(0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return registry;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("memroos.bus.registry-url", registry().url());
    }

    @Override
    public void stop() {
        // kept for the whole JVM: several test classes share it
    }
}
