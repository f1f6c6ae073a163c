package io.memroos.governance.store;

import io.memroos.governance.domain.Aggregate;
import io.memroos.governance.domain.AssetLabel;
import io.memroos.governance.domain.AuditEvent;
import io.memroos.governance.domain.AuditLog;
import io.memroos.governance.domain.AuditQuery;
import io.memroos.governance.domain.ChainVerifier;
import io.memroos.governance.domain.Checkpoint;
import io.memroos.governance.domain.GovernanceStore;
import io.memroos.governance.domain.Page;
import io.memroos.governance.domain.PolicyVersion;
import io.memroos.governance.domain.Record;
import io.memroos.governance.domain.RecordQuery;
import io.memroos.governance.domain.Signer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour every {@link GovernanceStore} must have; one subclass per backend. */
abstract class GovernanceStoreContractTest {

    GovernanceStore store;
    Signer signer;
    AuditLog log;

    /** A store over an empty, migrated database. */
    abstract GovernanceStore freshStore() throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        store = freshStore();
        Path keys = Files.createDirectories(Path.of("target", "store-test", "keys-" + unique()));
        signer = Signer.openOrCreate(keys);
    }

    @AfterEach
    void closeLog() {
        if (log != null) {
            log.close();
        }
    }

    static String unique() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    static AuditEvent draft(String id, String type, String actor, String agent, String task, String data) {
        return new AuditEvent(0, id, null, "2026-11-24T04:00:00.000Z", "registry-service", type, actor, "agent.register",
                "agent", agent, null, null, data, null, null, agent, task);
    }

    AuditLog log(int checkpointEvery) {
        log = new AuditLog(store, signer, Clock.systemUTC(), 500, checkpointEvery);
        return log;
    }

    List<AuditLog.Draft> drafts(int n, String agent) {
        List<AuditLog.Draft> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new AuditLog.Draft(draft(UUID.randomUUID().toString(), "agent.registered", "operator", agent,
                    "t" + (i % 3), "{\"i\":" + i + "}"), null));
        }
        return out;
    }

    @Test
    void anEmptyStoreHasNoHead() {
        assertNull(store.head());
        assertNull(store.lastCheckpoint());
        assertEquals(0, store.count());
        assertTrue(store.checkpoints().isEmpty());
        assertNull(store.latestPolicies());
        assertTrue(new ChainVerifier(store, signer, Clock.systemUTC()).verify().ok());
    }

    @Test
    void theLogChainsGroupCommitsAndVerifies() throws Exception {
        AuditLog l = log(25);
        List<CompletableFuture<AuditLog.Result>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(l.submit(drafts(10, "a" + (i % 2))));
        }
        int appended = 0;
        for (CompletableFuture<AuditLog.Result> f : futures) {
            appended += f.get().appended().size();
        }
        assertEquals(200, appended);
        Checkpoint cp = l.checkpoint();
        assertEquals(200, cp.seq());
        AuditEvent head = store.head();
        assertEquals(200, head.seq());
        assertEquals(head.hash(), cp.hash());
        assertEquals(200, store.count());
        // a checkpoint at the first commit that reaches 25 unsigned events; together they cover 1..200 without gaps
        long next = 1;
        for (Checkpoint c : store.checkpoints()) {
            assertEquals(next, c.fromSeq());
            assertTrue(c.seq() - c.fromSeq() + 1 >= 25 || c.seq() == 200, "checkpoint " + c);
            next = c.seq() + 1;
        }
        assertEquals(201, next);
        ChainVerifier.Result r = new ChainVerifier(store, signer, Clock.systemUTC()).verify();
        assertTrue(r.ok(), String.valueOf(r.reason()));
        assertEquals(200, r.events());
        assertEquals(store.checkpoints().size(), r.checkpoints());
        assertEquals("ok@" + r.verifiedAt(), store.meta("lastVerify").orElseThrow());
    }

    @Test
    void duplicatesAreNotAppendedAndAReopenedLogContinuesTheChain() {
        AuditLog l = log(1000);
        List<AuditLog.Draft> batch = drafts(5, "a");
        assertEquals(5, l.append(batch).appended().size());
        AuditLog.Result again = l.append(batch);
        assertEquals(0, again.appended().size());
        assertEquals(5, again.duplicates());
        assertEquals(Set.of(batch.get(0).event().id()), store.existingIds(List.of(batch.get(0).event().id(), "nope")));
        l.close();
        log = null;
        AuditLog reopened = log(1000);
        assertEquals(3, reopened.append(drafts(3, "a")).appended().size());
        reopened.checkpoint();
        assertEquals(8, store.head().seq());
        assertTrue(new ChainVerifier(store, signer, Clock.systemUTC()).verify().ok());
    }

    @Test
    void auditQueriesFilterAndPage() {
        AuditLog l = log(1000);
        l.append(drafts(6, "a"));
        l.append(drafts(4, "b"));
        Page<AuditEvent> a = store.audit(new AuditQuery(null, null, null, null, null, null, null, null, "a", null, 0, 4));
        assertEquals(4, a.items().size());
        assertNotNull(a.nextCursor());
        Page<AuditEvent> a2 = store.audit(new AuditQuery(null, null, null, null, null, null, null, null, "a", null,
                Long.parseLong(a.nextCursor()), 4));
        assertEquals(2, a2.items().size());
        assertNull(a2.nextCursor());
        assertEquals(10, store.audit(new AuditQuery("operator", "agent.register", "agent", null, "agent.registered",
                "registry-service", "2000-01-01T00:00:00.000Z", "2999-01-01T00:00:00.000Z", null, null, 0, 100)).items().size());
        assertEquals(4, store.audit(new AuditQuery(null, null, "agent", "b", null, null, null, null, null, null, 0, 100))
                .items().size());
        assertEquals(2, store.audit(new AuditQuery(null, null, null, null, null, null, null, null, "a", "t0", 0, 100))
                .items().size());
        assertEquals(0, store.audit(new AuditQuery(null, null, null, null, "other", null, null, null, null, null, 0, 100))
                .items().size());
        assertEquals(List.of(1L, 2L), store.events(List.of(1L, 2L)).stream().map(AuditEvent::seq).toList());
        assertEquals(3, store.hashes(2, 4).size());
    }

    static Record usage(String id, String agent, String day, String model, long in, long out, double cost) {
        return new Record(id, Record.Kind.MODEL_USAGE, agent, "t", day + "T10:00:00.000Z", day, 0, model, "p", null, null,
                in, out, 100L, cost, "{}");
    }

    @Test
    void recordsAreListedAndAggregated() {
        AuditLog l = log(1000);
        List<AuditLog.Draft> ds = new ArrayList<>();
        ds.add(new AuditLog.Draft(draft("e1", "model.usage", "agent:a", "a", "t", "{}"), usage("r1", "a", "2026-11-01", "m1", 10, 1, 0.5)));
        ds.add(new AuditLog.Draft(draft("e2", "model.usage", "agent:a", "a", "t", "{}"), usage("r2", "a", "2026-11-01", "m1", 20, 2, 0.25)));
        ds.add(new AuditLog.Draft(draft("e3", "model.usage", "agent:a", "a", "t", "{}"), usage("r3", "a", "2026-11-02", "m2", 5, 5, 0)));
        ds.add(new AuditLog.Draft(draft("e4", "model.usage", "agent:b", "b", "t", "{}"), usage("r4", "b", "2026-11-02", "m1", 1, 1, 1)));
        l.append(ds);
        Page<Record> a = store.records(new RecordQuery(Record.Kind.MODEL_USAGE, "a", null, null, null, null, null, null,
                null, 0, 2));
        assertEquals(List.of("r1", "r2"), a.items().stream().map(Record::id).toList());
        assertEquals(1L, a.items().get(0).eventSeq());
        assertNotNull(a.nextCursor());
        List<Aggregate> byAgentModel = store.aggregate(new RecordQuery(Record.Kind.MODEL_USAGE, null, null, null, null,
                null, null, null, null, 0, 0), List.of("agent", "model"));
        assertEquals(3, byAgentModel.size());
        Aggregate am1 = byAgentModel.get(0);
        assertEquals(Map.of("agent", "a", "model", "m1"), am1.group());
        assertEquals(2, am1.count());
        assertEquals(30, am1.inputTokens());
        assertEquals(3, am1.outputTokens());
        assertEquals(0.75, am1.cost(), 1e-9);
        assertEquals(100.0, am1.avgLatencyMs(), 1e-9);
        List<Aggregate> byDay = store.aggregate(new RecordQuery(Record.Kind.MODEL_USAGE, null, null, null, null, null, null,
                "2026-11-02T00:00:00.000Z", null, 0, 0), List.of("day"));
        assertEquals(1, byDay.size());
        assertEquals(2, byDay.get(0).count());
        assertEquals(0, store.records(new RecordQuery(Record.Kind.TOOL_ATTENTION, null, null, null, null, null, null, null,
                null, 0, 10)).items().size());
    }

    @Test
    void policyVersionsAreKept() {
        store.savePolicies(new PolicyVersion(1, Map.of("p", "permit (principal, action, resource);"), "t1", "operator", null));
        store.savePolicies(new PolicyVersion(2, Map.of("p", "forbid (principal, action, resource);", "q", "x"), "t2",
                "operator", "second"));
        assertEquals(2, store.latestPolicies().version());
        assertEquals("second", store.latestPolicies().comment());
        assertEquals(Map.of("p", "permit (principal, action, resource);"), store.policies(1).policies());
        assertNull(store.policies(3));
        assertEquals(List.of(2L, 1L), store.policyHistory(Long.MAX_VALUE, 10).stream().map(PolicyVersion::version).toList());
        assertEquals(List.of(1L), store.policyHistory(2, 10).stream().map(PolicyVersion::version).toList());
    }

    @Test
    void labelsAndTheirSources() {
        AssetLabel.AssetRef src = new AssetLabel.AssetRef("memory", "m1");
        store.saveLabels(List.of(new AssetLabel("memory", "m1", "internal", List.of(), "internal", "t", "operator"),
                new AssetLabel("summary", "s1", null, List.of(src), "internal", "t", "operator")));
        assertEquals("internal", store.label("summary", "s1").label());
        assertEquals(List.of(src), store.label("summary", "s1").derivedFrom());
        assertEquals(List.of("s1"), store.dependents("memory", "m1").stream().map(AssetLabel::id).toList());
        store.saveLabels(List.of(new AssetLabel("summary", "s1", "restricted", List.of(), "restricted", "t2", "operator")));
        assertTrue(store.dependents("memory", "m1").isEmpty());
        assertEquals("restricted", store.label("summary", "s1").label());
        Page<AssetLabel> page = store.labels(null, null, null, 1);
        assertEquals(1, page.items().size());
        assertEquals("memory/m1", page.nextCursor());
        assertEquals(List.of("s1"), store.labels(null, null, page.nextCursor(), 10).items().stream().map(AssetLabel::id).toList());
        assertEquals(1, store.labels(null, "restricted", null, 10).items().size());
        assertNull(store.label("memory", "nope"));
    }

    @Test
    void metaIsOverwritten() {
        assertFalse(store.meta("k").isPresent());
        store.putMeta("k", "v1");
        store.putMeta("k", "v2");
        assertEquals("v2", store.meta("k").orElseThrow());
        store.ping();
    }
}
