package io.memroos.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/** Points the gateway's {@code bus} service at a loopback port nothing listens on: the bus is "not running". */
public class BusUnreachable implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try (ServerSocket s = new ServerSocket(0)) {
            return Map.of("memroos.gateway.services.bus", "http://127.0.0.1:" + s.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }
}
