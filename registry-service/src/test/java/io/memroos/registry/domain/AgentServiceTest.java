package io.memroos.registry.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.registry.store.SqliteAgentStore;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** AgentService rules that need a clock and a store: key verification, last use, rotation, names. */
class AgentServiceTest {

    private final AtomicInteger touches = new AtomicInteger();
    private Instant now = Instant.parse("2026-03-01T10:00:00Z");
    private AgentService service;

    @BeforeEach
    void setUp() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "domain-test"));
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + dir.resolve("svc-" + UUID.randomUUID() + ".db"));
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/sqlite").load().migrate();
        AgentStore real = new SqliteAgentStore(ds, new ObjectMapper());
        AgentStore counting = (AgentStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{AgentStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("touchKey")) {
                        touches.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        service = new AgentService(counting, clock,
                new LivenessPolicy(Duration.ofSeconds(60), Duration.ofSeconds(300), 3), 10, Duration.ofSeconds(5));
    }

    private String register(String name) {
        return service.register(Caller.operator(), new AgentDraft(name, null, "team", List.of("c"), List.of(),
                new Endpoint(EndpointKind.REST, "http://a.example/"))).agent().id();
    }

    @Test
    void verificationRecordsLastUseAtMostOncePerResolution() {
        String agent = register("a");
        IssuedKey key = service.createKey(Caller.operator(), agent, "l", null);
        for (int i = 0; i < 10; i++) {
            assertEquals(agent, service.verify(Caller.service(), key.plaintext()).agentId());
        }
        assertEquals(1, touches.get());
        now = now.plusSeconds(6);
        service.verify(Caller.service(), key.plaintext());
        assertEquals(2, touches.get());
        assertEquals(now, service.keys(Caller.operator(), agent).get(0).lastUsedAt());
    }

    @Test
    void keysExpireByTheClock() {
        String agent = register("b");
        IssuedKey key = service.createKey(Caller.operator(), agent, null, now.plusSeconds(30));
        service.verify(Caller.service(), key.plaintext());
        now = now.plusSeconds(30);
        RegistryException e = assertThrows(RegistryException.class,
                () -> service.verify(Caller.service(), key.plaintext()));
        assertEquals(RegistryException.Kind.UNAUTHORIZED, e.kind());
    }

    @Test
    void rotationKeepsLabelAndExpiryAndRevokesTheOldKey() {
        String agent = register("c");
        IssuedKey old = service.createKey(Caller.agent(agent), agent, "ci", now.plusSeconds(3600));
        IssuedKey fresh = service.rotateKey(Caller.agent(agent), agent, old.key().id());
        assertEquals("ci", fresh.key().label());
        assertEquals(now.plusSeconds(3600), fresh.key().expiresAt());
        assertNotEquals(old.key().prefix(), fresh.key().prefix());
        assertNotNull(service.keys(Caller.operator(), agent).stream()
                .filter(k -> k.id().equals(old.key().id())).findFirst().orElseThrow().revokedAt());
        assertThrows(RegistryException.class, () -> service.verify(Caller.service(), old.plaintext()));
        assertEquals(agent, service.verify(Caller.service(), fresh.plaintext()).agentId());
    }

    @Test
    void namesAreUniqueAmongActiveAgentsOnly() {
        String first = register("same");
        assertEquals(RegistryException.Kind.CONFLICT,
                assertThrows(RegistryException.class, () -> register("same")).kind());
        service.deregister(Caller.operator(), first);
        register("same");
    }

    @Test
    void livenessFollowsHeartbeatsByTheClock() {
        String agent = register("d");
        assertEquals(Liveness.OFFLINE, service.get(Caller.operator(), agent).liveness());
        assertEquals(Liveness.ONLINE, service.heartbeat(Caller.agent(agent), "ok", 0.5, "1", null).liveness());
        now = now.plusSeconds(61);
        assertEquals(Liveness.STALE, service.get(Caller.operator(), agent).liveness());
        now = now.plusSeconds(240);
        assertEquals(Liveness.OFFLINE, service.get(Caller.operator(), agent).liveness());
    }

    @Test
    void onlyServicesVerifyKeys() {
        assertEquals(RegistryException.Kind.FORBIDDEN,
                assertThrows(RegistryException.class, () -> service.verify(Caller.operator(), "mrk_x")).kind());
    }
}
