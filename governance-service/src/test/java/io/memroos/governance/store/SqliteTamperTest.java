package io.memroos.governance.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.memroos.governance.domain.AuditLog;
import io.memroos.governance.domain.AuditEvent;
import io.memroos.governance.domain.ChainVerifier;
import io.memroos.governance.domain.Signer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tamper tests: 100 events are appended through the audit log (a signed checkpoint every 10) into a real SQLite
 * file; the log and store are closed; then the file is changed with plain JDBC, as an intruder with file access
 * would, and a fresh store's verification must name the first bad event and why.
 */
class SqliteTamperTest {

    private Path file;
    private Signer signer;
    private SqliteGovernanceStore store;

    @BeforeEach
    void writeAChain() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "tamper-test"));
        String unique = UUID.randomUUID().toString().substring(0, 8);
        file = dir.resolve("governance-" + unique + ".db");
        signer = Signer.openOrCreate(dir.resolve("keys-" + unique));
        SQLiteDataSource ds = SqliteGovernanceStoreTest.dataSource(file);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/sqlite").load().migrate();
        SqliteGovernanceStore writer = new SqliteGovernanceStore(ds, new ObjectMapper(), 64);
        AuditLog log = new AuditLog(writer, signer, Clock.systemUTC(), 500, 10);
        List<AuditLog.Draft> drafts = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            drafts.add(new AuditLog.Draft(new AuditEvent(0, "evt-" + i, null, "2026-11-24T04:00:00.000Z",
                    "registry-service", "agent.registered", "operator", "agent.register", "agent", "a" + i, null,
                    "internal", "{\"n\":" + i + "}", null, null, "a" + i, null), null));
            if (drafts.size() == 7) {
                log.append(drafts);
                drafts.clear();
            }
        }
        log.append(drafts);
        log.checkpoint();
        log.close();
        writer.close();
        store = new SqliteGovernanceStore(SqliteGovernanceStoreTest.dataSource(file), new ObjectMapper(), 64);
        assertTrue(verify().ok(), "the untouched chain verifies");
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ChainVerifier.Result verify() {
        return new ChainVerifier(store, signer, Clock.systemUTC()).verify();
    }

    private void sql(String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    @Test
    void anEditedEventIsNamed() throws Exception {
        sql("UPDATE audit_events SET data = '{\"n\":999}' WHERE seq = 37");
        ChainVerifier.Result r = verify();
        assertFalse(r.ok());
        assertEquals("hash-mismatch", r.failure());
        assertEquals(37L, r.seq());
        assertEquals("evt-37", r.eventId());
        assertEquals(36, r.events(), "events before the bad one verified");
    }

    @Test
    void anEditedEventWithARecomputedHashBreaksTheNextLink() throws Exception {
        // the intruder recomputes the edited event's own hash; the next event's prevHash still names the old one
        AuditEvent e = store.events(List.of(37L)).get(0);
        AuditEvent forged = new AuditEvent(e.seq(), e.id(), e.recordedAt(), e.occurredAt(), e.source(), e.type(), e.actor(),
                e.action(), e.assetType(), e.assetId(), e.purpose(), "public", e.data(), e.prevHash(), null, e.agentId(),
                e.taskId());
        sql("UPDATE audit_events SET label = 'public', hash = '" + forged.computeHash() + "' WHERE seq = 37");
        ChainVerifier.Result r = verify();
        assertFalse(r.ok());
        assertEquals("broken-link", r.failure());
        assertEquals(38L, r.seq());
        assertEquals("evt-38", r.eventId());
    }

    @Test
    void aDeletedEventIsNamed() throws Exception {
        sql("DELETE FROM audit_events WHERE seq = 52");
        ChainVerifier.Result r = verify();
        assertFalse(r.ok());
        assertEquals("missing-event", r.failure());
        assertEquals(52L, r.seq());
        assertTrue(r.reason().contains("event 52 is missing"), r.reason());
    }

    @Test
    void aDeletionHiddenByRenumberingIsNamed() throws Exception {
        sql("DELETE FROM audit_events WHERE seq = 12",
                "UPDATE audit_events SET seq = -seq WHERE seq > 12",
                "UPDATE audit_events SET seq = -seq - 1 WHERE seq < 0");
        ChainVerifier.Result r = verify();
        assertFalse(r.ok());
        assertEquals("broken-link", r.failure());
        assertEquals(12L, r.seq());
        assertEquals("evt-13", r.eventId());
    }

    @Test
    void reorderedEventsAreNamed() throws Exception {
        // swap the rows at seq 60 and 61 (every column but seq)
        sql("UPDATE audit_events SET seq = -1 WHERE seq = 60",
                "UPDATE audit_events SET seq = 60 WHERE seq = 61",
                "UPDATE audit_events SET seq = 61 WHERE seq = -1");
        ChainVerifier.Result r = verify();
        assertFalse(r.ok());
        assertEquals("broken-link", r.failure());
        assertEquals(60L, r.seq());
        assertEquals("evt-61", r.eventId());
    }

    @Test
    void eventsCutFromTheEndAreNoticedByTheCheckpoint() throws Exception {
        long firstAfter = store.checkpoints().stream().mapToLong(c -> c.seq()).filter(s -> s > 95).min().orElseThrow();
        sql("DELETE FROM audit_events WHERE seq > 95");
        ChainVerifier.Result r = verify();
        assertFalse(r.ok());
        assertEquals("missing-event", r.failure());
        assertEquals(96L, r.seq());
        assertEquals(firstAfter, r.checkpointSeq());
    }

    @Test
    void aTamperedCheckpointSignatureIsNamed() throws Exception {
        long seq = store.checkpoints().get(2).seq();
        String other = signer.sign("{\"something\":\"else\"}");
        sql("UPDATE checkpoints SET signature = '" + other + "' WHERE seq = " + seq);
        ChainVerifier.Result r = verify();
        assertFalse(r.ok());
        assertEquals("bad-checkpoint-signature", r.failure());
        assertEquals(seq, r.checkpointSeq());
        assertEquals(seq, r.events(), "every event up to the checkpoint verified");
    }

    @Test
    void aCheckpointResignedWithAnotherKeyIsRefused() throws Exception {
        Signer intruder = Signer.openOrCreate(Files.createTempDirectory("intruder"));
        var cp = store.checkpoints().get(2);
        var forged = new io.memroos.governance.domain.Checkpoint(cp.seq(), cp.fromSeq(), cp.hash(), cp.merkleRoot(),
                cp.time(), cp.keyId(), null);
        sql("UPDATE checkpoints SET signature = '" + intruder.sign(forged.payload()) + "' WHERE seq = " + cp.seq());
        ChainVerifier.Result r = verify();
        assertEquals("bad-checkpoint-signature", r.failure());
        assertEquals(cp.seq(), r.checkpointSeq());
    }
}
