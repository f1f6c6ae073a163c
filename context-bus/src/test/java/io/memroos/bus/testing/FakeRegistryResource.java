package io.memroos.bus.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Starts one {@link FakeRegistry} and one recording governance ({@link GovernanceReceiver}) for the @QuarkusTest
 * run and points the bus at them.
 */
public class FakeRegistryResource implements QuarkusTestResourceLifecycleManager {

    private static FakeRegistry registry;
    private static GovernanceReceiver governance;

    public static synchronized GovernanceReceiver governance() {
        if (governance == null) {
            governance = GovernanceReceiver.start();
        }
        return governance;
    }

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
        return Map.of("memroos.bus.registry-url", registry().url(), "memroos.bus.governance.url", governance().url());
    }

    @Override
    public void stop() {
        // kept for the whole JVM: several test classes share it
    }
}
