package io.memroos.memory.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link MemoryStore} must have: one subclass per backend (SQLite here; PostgreSQL in the
 * fleet package).
 */
public abstract class MemoryStoreContractTest {

    protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    protected MemoryStore store;

    /** A store over an empty, migrated database. */
    protected abstract MemoryStore freshStore() throws Exception;

    /** How many outbox rows (receipts) the store has written. */
    protected abstract long outboxCount() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = freshStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected static String unique() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    protected static NewFact fact(Scope scope, String text, Map<String, Object> metadata, Instant at) {
        return new NewFact("mem_" + unique(), scope, text, text.toLowerCase().strip(), metadata, new float[]{1f, 2f, 3f}, at);
    }

    protected static Receipt receipt(Scope scope) {
        return new Receipt("write", "agent:" + scope.agentId(), scope, List.of(), "test");
    }

    protected WriteBatch.Result write(Scope scope, String... texts) {
        List<NewFact> facts = new ArrayList<>();
        for (String t : texts) {
            facts.add(fact(scope, t, Map.of(), T0));
        }
        return store.write(new WriteBatch(facts, List.of(), receipt(scope)));
    }

    @Test
    void writesAndReadsAFactWithItsEmbedding() {
        Scope s = new Scope("a-" + unique(), "u1", "s1");
        NewFact f = fact(s, "Maria likes green tea", Map.of("topic", "drinks", "n", 3), T0);
        WriteBatch.Result r = store.write(new WriteBatch(List.of(f), List.of(), receipt(s)));
        assertEquals(1, r.facts().size());
        assertTrue(r.facts().get(0).created());
        Fact got = store.get(f.id()).orElseThrow();
        assertEquals("Maria likes green tea", got.text());
        assertEquals(s, got.scope());
        assertEquals("drinks", got.metadata().get("topic"));
        assertEquals(1, got.version());
        assertTrue(got.active());
        assertEquals(T0, got.createdAt());
        assertArrayEquals(new float[]{1f, 2f, 3f}, store.embedding(f.id()).orElseThrow());
        assertTrue(store.get("mem_missing").isEmpty());
    }

    @Test
    void exactDuplicatesFoldInTheSameScopeOnly() {
        Scope s = new Scope("a-" + unique(), null, null);
        String first = write(s, "The printer is on floor 3").facts().get(0).id();
        WriteBatch.Result again = write(s, "The printer is on floor 3", "the printer is on floor 3");
        assertEquals(first, again.facts().get(0).id());
        assertFalse(again.facts().get(0).created());
        assertEquals(first, again.facts().get(1).id(), "same normalized text folds");
        String other = write(new Scope(s.agentId(), "u2", null), "The printer is on floor 3").facts().get(0).id();
        assertNotEquals(first, other, "another scope keeps its own");
        assertEquals(2, store.countActive());
    }

    @Test
    void anUpdateWritesANewVersionAndKeepsTheOld() {
        Scope s = new Scope("a-" + unique(), "u1", null);
        String id = write(s, "Tom lives in Lyon").facts().get(0).id();
        long seqBefore = store.get(id).orElseThrow().seq();
        Fact v2 = store.update(id, "Tom lives in Paris", "tom lives in paris", Map.of("moved", true),
                new float[]{3f, 2f, 1f}, T0.plusSeconds(60), receipt(s));
        assertEquals(2, v2.version());
        assertEquals("Tom lives in Paris", v2.text());
        assertTrue(v2.seq() > seqBefore);
        assertArrayEquals(new float[]{3f, 2f, 1f}, store.embedding(id).orElseThrow());
        List<FactVersion> h = store.history(id);
        assertEquals(2, h.size());
        assertEquals("create", h.get(0).change());
        assertEquals("Tom lives in Lyon", h.get(0).text());
        assertEquals(T0.plusSeconds(60), h.get(0).validTo(), "the old version ends when the new one starts");
        assertEquals("update", h.get(1).change());
        assertNull(h.get(1).validTo());
        assertEquals("agent:" + s.agentId(), h.get(1).actor());
    }

    @Test
    void invalidationNeverDestroys() {
        Scope s = Scope.agent("a-" + unique());
        String id = write(s, "The meeting is on Tuesday").facts().get(0).id();
        Fact gone = store.invalidate(id, T0.plusSeconds(5), receipt(s));
        assertFalse(gone.active());
        assertEquals(T0.plusSeconds(5), gone.invalidatedAt());
        assertEquals("The meeting is on Tuesday", store.get(id).orElseThrow().text(), "still readable");
        assertEquals(List.of("create", "invalidate"), store.history(id).stream().map(FactVersion::change).toList());
        assertEquals(gone, store.invalidate(id, T0.plusSeconds(9), receipt(s)), "twice is a no-op");
        StoreException e = assertThrows(StoreException.class, () -> store.update(id, "x", "x", null,
                new float[]{1f, 1f, 1f}, T0, receipt(s)));
        assertEquals(StoreException.Kind.CONFLICT, e.kind());
        String again = write(s, "The meeting is on Tuesday").facts().get(0).id();
        assertNotEquals(id, again, "an invalidated fact does not fold a new one");
    }

    @Test
    void updateToTheTextOfAnotherActiveFactIsAConflict() {
        Scope s = Scope.agent("a-" + unique());
        List<WriteBatch.Written> w = write(s, "alpha", "beta").facts();
        StoreException e = assertThrows(StoreException.class, () -> store.update(w.get(0).id(), "beta", "beta",
                null, new float[]{1f, 1f, 1f}, T0, receipt(s)));
        assertEquals(StoreException.Kind.CONFLICT, e.kind());
        assertEquals("alpha", store.get(w.get(0).id()).orElseThrow().text());
    }

    @Test
    void changesSinceFollowEveryChangeInOrder() {
        Scope s = Scope.agent("a-" + unique());
        long start = store.maxSeq();
        List<WriteBatch.Written> w = write(s, "one", "two").facts();
        store.invalidate(w.get(0).id(), T0, receipt(s));
        List<MemoryStore.Change> changes = store.changesSince(start, 100);
        assertEquals(2, changes.size(), "one row per fact, at its latest change");
        assertEquals(w.get(1).id(), changes.get(0).fact().id());
        assertEquals(w.get(0).id(), changes.get(1).fact().id());
        assertFalse(changes.get(1).fact().active());
        assertEquals(store.maxSeq(), changes.get(1).seq());
        assertArrayEquals(new float[]{1f, 2f, 3f}, changes.get(0).embedding());
        assertTrue(store.changesSince(store.maxSeq(), 10).isEmpty());
    }

    @Test
    void listsNewestFirstWithFiltersAndCursor() {
        Scope s = new Scope("a-" + unique(), "u1", null);
        List<NewFact> facts = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            facts.add(fact(s, "note " + i, Map.of("i", i, "kind", i % 2 == 0 ? "even" : "odd"), T0.plusSeconds(i)));
        }
        store.write(new WriteBatch(facts, List.of(), receipt(s)));
        Page<Fact> p1 = store.list(s, null, false, null, 3);
        assertEquals(List.of("note 6", "note 5", "note 4"), p1.items().stream().map(Fact::text).toList());
        Page<Fact> p2 = store.list(s, null, false, p1.nextCursor(), 3);
        assertEquals(List.of("note 3", "note 2", "note 1"), p2.items().stream().map(Fact::text).toList());
        Page<Fact> p3 = store.list(s, null, false, p2.nextCursor(), 3);
        assertEquals(List.of("note 0"), p3.items().stream().map(Fact::text).toList());
        assertNull(p3.nextCursor());
        Filter even = new Filter.Cond("metadata.kind", Filter.Op.EQ, "even");
        assertEquals(4, store.list(s, even, false, null, 10).items().size());
        assertEquals(0, store.list(new Scope(s.agentId(), "u2", null), null, false, null, 10).items().size());
        store.invalidate(facts.get(0).id(), T0, receipt(s));
        assertEquals(6, store.list(s, null, false, null, 10).items().size());
        assertEquals(7, store.list(s, null, true, null, 10).items().size());
        StoreException bad = assertThrows(StoreException.class, () -> store.list(s, null, false, "zz", 3));
        assertEquals("cursor", bad.field());
    }

    @Test
    void episodesAreAppendedAndSearchedInScope() {
        Scope s = new Scope("a-" + unique(), "u1", "sess1");
        List<WriteBatch.NewEpisode> eps = List.of(
                new WriteBatch.NewEpisode("ep_" + unique(), s, "user", "I adopted a beagle named Rufus", Map.of(), T0, -1),
                new WriteBatch.NewEpisode("ep_" + unique(), s, "assistant", "Congratulations on the dog!", Map.of(), T0, -1));
        List<Episode> stored = store.appendEpisodes(eps, receipt(s));
        assertEquals(2, stored.size());
        assertTrue(stored.get(1).seq() > stored.get(0).seq());
        List<Episode> found = store.searchEpisodes(s, "beagles", 10);
        assertEquals(1, found.size(), "stemmed full-text match");
        assertEquals("I adopted a beagle named Rufus", found.get(0).content());
        assertTrue(store.searchEpisodes(Scope.agent("other-" + unique()), "beagle", 10).isEmpty());
        assertTrue(store.searchEpisodes(s, "\" OR *", 10).isEmpty(), "operators are not injected");
        assertEquals(2, store.episodes(s, 0, 10).size());
        assertEquals(1, store.episodes(s, stored.get(0).seq(), 10).size());
    }

    @Test
    void neighbouringTurnsComeFromTheSameSession() {
        Scope s = new Scope("a-" + unique(), null, "sess");
        List<NewFact> facts = new ArrayList<>();
        List<WriteBatch.NewEpisode> eps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            NewFact f = fact(s, "turn " + i, Map.of(), T0.plusSeconds(i));
            facts.add(f);
            eps.add(new WriteBatch.NewEpisode("ep_" + unique(), s, "user", f.text(), Map.of(), f.at(), i));
        }
        WriteBatch.Result r = store.write(new WriteBatch(facts, eps, receipt(s)));
        assertEquals(facts.get(2).id(), r.episodes().get(2).factId());
        Map<String, List<String>> n = store.neighbourFacts(List.of(facts.get(2).id()), 1);
        assertEquals(Set.of(facts.get(1).id(), facts.get(3).id()), Set.copyOf(n.get(facts.get(2).id())));
    }

    @Test
    void receiptsGoToTheOutboxWithTheWrite() throws Exception {
        long before = outboxCount();
        Scope s = Scope.agent("a-" + unique());
        String id = write(s, "x1").facts().get(0).id();
        store.update(id, "x2", "x2", null, new float[]{1f, 1f, 1f}, T0, receipt(s));
        store.invalidate(id, T0, receipt(s));
        store.receipt(new Receipt("recall", "operator", s, List.of(id), "query"));
        assertEquals(before + 4, outboxCount());
    }

    @Test
    void inventoryCountsPerScopeAndKind() {
        Scope s = new Scope("a-" + unique(), "u1", null);
        List<WriteBatch.Written> w = write(s, "aa", "bbb", "cccc").facts();
        store.invalidate(w.get(0).id(), T0, receipt(s));
        List<InventoryRow> rows = store.inventory(s.agentId());
        InventoryRow facts = rows.stream().filter(r -> r.kind().equals("fact")).findFirst().orElseThrow();
        assertEquals(2, facts.count());
        assertEquals("u1", facts.userId());
        assertTrue(facts.bytes() > 0);
        assertEquals(1, rows.stream().filter(r -> r.kind().equals("fact.invalidated")).findFirst().orElseThrow().count());
    }

    @Test
    void purgeRemovesOnlyThatAgent() {
        Scope a = Scope.agent("a-" + unique());
        Scope b = Scope.agent("b-" + unique());
        String keep = write(b, "keep me").facts().get(0).id();
        String drop = write(a, "drop me").facts().get(0).id();
        assertTrue(store.purgeAgent(a.agentId()) >= 1);
        assertTrue(store.get(drop).isEmpty());
        assertTrue(store.get(keep).isPresent());
    }

    @Test
    void jobsAreStoredAndUpdated() {
        Job j = new Job("job_" + unique(), "a1", "queued", 40, List.of(), null, T0, null);
        store.createJob(j);
        store.updateJob(new Job(j.id(), "a1", "done", 40, List.of("m1", "m2"), null, T0, T0.plusSeconds(2)));
        Job got = store.job(j.id()).orElseThrow();
        assertEquals("done", got.status());
        assertEquals(List.of("m1", "m2"), got.ids());
        assertEquals(T0.plusSeconds(2), got.finishedAt());
        assertTrue(store.job("job_missing").isEmpty());
    }
}
