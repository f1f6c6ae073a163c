package io.memroos.gateway.proxy;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteTableTest {

    private final RouteTable table = new RouteTable(
            Map.of("registry", "http://127.0.0.1:8081", "memory", "https://memory.local/base/"),
            Map.of("/api/agents", "registry", "\"/api/heartbeat\"", "registry", "/api/agents/special/", "memory"));

    @Test
    void matchesAPrefixAndEverythingBelowIt() {
        assertEquals("registry", table.match("/api/agents").orElseThrow().service().name());
        assertEquals("registry", table.match("/api/agents/abc/keys").orElseThrow().service().name());
        assertEquals("registry", table.match("/api/heartbeat").orElseThrow().service().name());
    }

    @Test
    void respectsPathSegmentBoundaries() {
        assertTrue(table.match("/api/agentsx").isEmpty());
        assertTrue(table.match("/api/heartbeats").isEmpty());
        assertTrue(table.match("/api").isEmpty());
        assertTrue(table.match("/").isEmpty());
    }

    @Test
    void theLongestPrefixWins() {
        assertEquals("memory", table.match("/api/agents/special/x").orElseThrow().service().name());
        assertEquals("registry", table.match("/api/agents/specialx").orElseThrow().service().name());
    }

    @Test
    void internalPathsAreNeverRouted() {
        assertTrue(RouteTable.isInternal("/internal"));
        assertTrue(RouteTable.isInternal("/internal/keys/verify"));
        assertFalse(RouteTable.isInternal("/internals"));
        assertTrue(table.match("/internal/keys/verify").isEmpty());
        assertThrows(IllegalArgumentException.class,
                () -> new RouteTable(Map.of("r", "http://h:1"), Map.of("/internal", "r")));
        assertThrows(IllegalArgumentException.class,
                () -> new RouteTable(Map.of("r", "http://h:1"), Map.of("/", "r")));
    }

    @Test
    void knowsServicePortsSchemesAndBasePaths() {
        RouteTable.Service registry = table.service("registry");
        assertEquals(8081, registry.port());
        assertFalse(registry.tls());
        assertEquals("", registry.basePath());
        RouteTable.Service memory = table.service("memory");
        assertEquals(443, memory.port());
        assertTrue(memory.tls());
        assertEquals("/base", memory.basePath());
    }

    @Test
    void refusesARouteToAnUnknownServiceOrABadUrl() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RouteTable(Map.of(), Map.of("/api/x", "nowhere")));
        assertTrue(e.getMessage().contains("memroos.gateway.services.nowhere"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new RouteTable(Map.of("r", "ftp://h"), Map.of()));
    }
}
