package io.memroos.memory.fleet;

import io.memroos.memory.store.Episode;
import io.memroos.memory.store.Fact;
import io.memroos.memory.store.FactVersion;
import io.memroos.memory.store.Filter;
import io.memroos.memory.store.IndexDoc;
import io.memroos.memory.store.InventoryRow;
import io.memroos.memory.store.Job;
import io.memroos.memory.store.MemoryStore;
import io.memroos.memory.store.NewFact;
import io.memroos.memory.store.Page;
import io.memroos.memory.store.Receipt;
import io.memroos.memory.store.Scope;
import io.memroos.memory.store.StoreException;
import io.memroos.memory.store.WriteBatch;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The records on PostgreSQL (schema from {@code db/memory-postgres}): several router instances may write at
 * once. Every write transaction takes one advisory lock before drawing from the change counter
 * {@code fact_seq}, so the order of {@code seq} is the commit order and an index following
 * {@link #changesSince} never skips a change that committed late. Episodes are searched with a stored
 * {@code tsvector} (English stemming) under a GIN index.
 */
public final class PgMemoryStore implements MemoryStore {

    private static final String FACT_COLUMNS = "n, id, agent_id, user_id, session_id, text, metadata::text AS metadata, "
            + "version, active, created_at, updated_at, invalidated_at, seq";

    private final DataSource dataSource;

    public PgMemoryStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The pool (for the outbox relay). */
    public DataSource dataSource() {
        return dataSource;
    }

    private interface Tx<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction holding the write lock. */
    private <T> T writeTx(String what, Tx<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Pg.lockWrites(c);
                T out = work.run(c);
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw StoreException.failed(what, e);
        }
    }

    private static long nextSeq(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT nextval('fact_seq')"); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---- writes -----------------------------------------------------------------------------------------

    @Override
    public WriteBatch.Result write(WriteBatch batch) {
        return writeTx("write", c -> {
            List<WriteBatch.Written> written = new ArrayList<>(batch.facts().size());
            Map<String, String> inBatch = new HashMap<>();
            for (NewFact f : batch.facts()) {
                String dedupeKey = f.scope() + "\u0000" + f.normalized();
                String existing = inBatch.get(dedupeKey);
                if (existing == null) {
                    existing = findDuplicate(c, f.scope(), Pg.hash(f.normalized()));
                }
                if (existing != null) {
                    written.add(new WriteBatch.Written(existing, false, 0));
                    continue;
                }
                long s = nextSeq(c);
                insertFact(c, f, s);
                insertVersion(c, f.id(), 1, "create", f.text(), f.metadata(),
                        batch.receipt() == null ? "system" : batch.receipt().actor(),
                        batch.receipt() == null ? null : batch.receipt().reason(), f.at());
                inBatch.put(dedupeKey, f.id());
                written.add(new WriteBatch.Written(f.id(), true, s));
            }
            List<Episode> episodes = new ArrayList<>();
            for (WriteBatch.NewEpisode e : batch.episodes()) {
                String factId = e.factIndex() >= 0 ? written.get(e.factIndex()).id() : null;
                episodes.add(insertEpisode(c, e, factId));
            }
            if (batch.receipt() != null) {
                Pg.receipt(c, batch.receipt().withIds(written.stream().map(WriteBatch.Written::id).distinct().toList()),
                        Instant.now());
            }
            return new WriteBatch.Result(written, episodes);
        });
    }

    private static String findDuplicate(Connection c, Scope scope, String hash) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT id FROM facts WHERE agent_id = ? AND user_id = ? "
                + "AND session_id = ? AND norm_hash = ? AND active")) {
            st.setString(1, scope.agentId());
            st.setString(2, Pg.key(scope.userId()));
            st.setString(3, Pg.key(scope.sessionId()));
            st.setString(4, hash);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void insertFact(Connection c, NewFact f, long s) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO facts (id, agent_id, user_id, session_id, text, "
                + "norm_hash, metadata, embedding, version, active, created_at, updated_at, seq) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, 1, TRUE, ?, ?, ?)")) {
            st.setString(1, f.id());
            st.setString(2, f.scope().agentId());
            st.setString(3, Pg.key(f.scope().userId()));
            st.setString(4, Pg.key(f.scope().sessionId()));
            st.setString(5, f.text());
            st.setString(6, Pg.hash(f.normalized()));
            st.setString(7, Pg.json(f.metadata()));
            st.setBytes(8, Pg.bytes(f.embedding()));
            st.setLong(9, f.at().toEpochMilli());
            st.setLong(10, f.at().toEpochMilli());
            st.setLong(11, s);
            st.executeUpdate();
        }
    }

    private static void insertVersion(Connection c, String factId, int version, String change, String text,
                                      Map<String, Object> metadata, String actor, String reason, Instant at)
            throws SQLException {
        try (PreparedStatement end = c.prepareStatement(
                "UPDATE fact_versions SET valid_to = ? WHERE fact_id = ? AND valid_to IS NULL")) {
            end.setLong(1, at.toEpochMilli());
            end.setString(2, factId);
            end.executeUpdate();
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO fact_versions (fact_id, version, change, text, "
                + "metadata, actor, reason, at, valid_to) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)")) {
            st.setString(1, factId);
            st.setInt(2, version);
            st.setString(3, change);
            st.setString(4, text);
            st.setString(5, Pg.json(metadata));
            st.setString(6, actor);
            st.setString(7, reason);
            st.setLong(8, at.toEpochMilli());
            // an invalidation closes the history: its own entry is born ended
            Pg.setInstant(st, 9, "invalidate".equals(change) ? at : null);
            st.executeUpdate();
        }
    }

    private static Episode insertEpisode(Connection c, WriteBatch.NewEpisode e, String factId) throws SQLException {
        long seq;
        try (PreparedStatement st = c.prepareStatement("INSERT INTO episodes (id, agent_id, user_id, session_id, role, "
                + "content, metadata, at, fact_id) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?) RETURNING seq")) {
            st.setString(1, e.id());
            st.setString(2, e.scope().agentId());
            st.setString(3, Pg.key(e.scope().userId()));
            st.setString(4, Pg.key(e.scope().sessionId()));
            st.setString(5, e.role());
            st.setString(6, e.content());
            st.setString(7, Pg.json(e.metadata()));
            st.setLong(8, e.at().toEpochMilli());
            st.setString(9, factId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
        }
        return new Episode(e.id(), e.scope(), seq, e.role(), e.content(), e.metadata(), e.at(), factId);
    }

    @Override
    public Fact update(String id, String text, String normalized, Map<String, Object> metadata, float[] embedding,
                       Instant at, Receipt receipt) {
        return writeTx("update", c -> {
            Fact current = get(c, id, true).orElseThrow(() -> StoreException.notFound("no memory " + id));
            if (!current.active()) {
                throw new StoreException(StoreException.Kind.CONFLICT, null,
                        "memory " + id + " is invalidated; an invalidated memory is not updated");
            }
            String dup = findDuplicate(c, current.scope(), Pg.hash(normalized));
            if (dup != null && !dup.equals(id)) {
                throw new StoreException(StoreException.Kind.CONFLICT, "text",
                        "an active memory with this text exists in the scope: " + dup);
            }
            Map<String, Object> meta = metadata == null ? current.metadata() : metadata;
            long s = nextSeq(c);
            int version = current.version() + 1;
            try (PreparedStatement st = c.prepareStatement("UPDATE facts SET text = ?, norm_hash = ?, metadata = ?::jsonb, "
                    + "embedding = ?, version = ?, updated_at = ?, seq = ? WHERE id = ?")) {
                st.setString(1, text);
                st.setString(2, Pg.hash(normalized));
                st.setString(3, Pg.json(meta));
                st.setBytes(4, Pg.bytes(embedding));
                st.setInt(5, version);
                st.setLong(6, at.toEpochMilli());
                st.setLong(7, s);
                st.setString(8, id);
                st.executeUpdate();
            }
            insertVersion(c, id, version, "update", text, meta, receipt.actor(), receipt.reason(), at);
            Pg.receipt(c, receipt.withIds(List.of(id)), at);
            return get(c, id, false).orElseThrow();
        });
    }

    @Override
    public Fact invalidate(String id, Instant at, Receipt receipt) {
        return writeTx("invalidate", c -> {
            Fact current = get(c, id, true).orElseThrow(() -> StoreException.notFound("no memory " + id));
            if (!current.active()) {
                return current;
            }
            long s = nextSeq(c);
            try (PreparedStatement st = c.prepareStatement(
                    "UPDATE facts SET active = FALSE, invalidated_at = ?, seq = ? WHERE id = ?")) {
                st.setLong(1, at.toEpochMilli());
                st.setLong(2, s);
                st.setString(3, id);
                st.executeUpdate();
            }
            insertVersion(c, id, current.version(), "invalidate", current.text(), current.metadata(),
                    receipt.actor(), receipt.reason(), at);
            Pg.receipt(c, receipt.withIds(List.of(id)), at);
            return get(c, id, false).orElseThrow();
        });
    }

    @Override
    public List<Episode> appendEpisodes(List<WriteBatch.NewEpisode> episodes, Receipt receipt) {
        return writeTx("append episodes", c -> {
            List<Episode> out = new ArrayList<>();
            for (WriteBatch.NewEpisode e : episodes) {
                out.add(insertEpisode(c, e, null));
            }
            Pg.receipt(c, receipt.withIds(out.stream().map(Episode::id).toList()), Instant.now());
            return out;
        });
    }

    @Override
    public void receipt(Receipt receipt) {
        try (Connection c = dataSource.getConnection()) {
            Pg.receipt(c, receipt, Instant.now());
        } catch (SQLException e) {
            throw StoreException.failed("receipt", e);
        }
    }

    @Override
    public long purgeAgent(String agentId) {
        return writeTx("purge", c -> {
            long n = 0;
            n += exec(c, "DELETE FROM fact_versions WHERE fact_id IN (SELECT id FROM facts WHERE agent_id = ?)", agentId);
            n += exec(c, "DELETE FROM facts WHERE agent_id = ?", agentId);
            n += exec(c, "DELETE FROM episodes WHERE agent_id = ?", agentId);
            exec(c, "DELETE FROM jobs WHERE agent_id = ?", agentId);
            return n;
        });
    }

    private static int exec(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, arg);
            return st.executeUpdate();
        }
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    public Optional<Fact> get(String id) {
        try (Connection c = dataSource.getConnection()) {
            return get(c, id, false);
        } catch (SQLException e) {
            throw StoreException.failed("read", e);
        }
    }

    private static Optional<Fact> get(Connection c, String id, boolean forUpdate) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT " + FACT_COLUMNS + " FROM facts WHERE id = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(fact(rs)) : Optional.empty();
            }
        }
    }

    private static Fact fact(ResultSet rs) throws SQLException {
        return new Fact(rs.getString("id"), Pg.scope(rs, "agent_id", "user_id", "session_id"),
                rs.getString("text"), Pg.map(rs.getString("metadata")), rs.getInt("version"),
                rs.getBoolean("active"), Pg.instant(rs, "created_at"), Pg.instant(rs, "updated_at"),
                Pg.instant(rs, "invalidated_at"), rs.getLong("seq"));
    }

    @Override
    public List<Fact> getAll(Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT " + FACT_COLUMNS + " FROM facts WHERE id = ANY (?)")) {
            st.setArray(1, c.createArrayOf("text", ids.toArray()));
            List<Fact> out = new ArrayList<>(ids.size());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(fact(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw StoreException.failed("read", e);
        }
    }

    @Override
    public Optional<float[]> embedding(String id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT embedding FROM facts WHERE id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.ofNullable(Pg.floats(rs.getBytes(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw StoreException.failed("read", e);
        }
    }

    @Override
    public List<FactVersion> history(String id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT version, change, text, metadata::text, actor, reason, at, "
                     + "valid_to FROM fact_versions WHERE fact_id = ? ORDER BY at, version, "
                     + "CASE change WHEN 'create' THEN 0 WHEN 'update' THEN 1 ELSE 2 END")) {
            st.setString(1, id);
            List<FactVersion> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new FactVersion(id, rs.getInt(1), rs.getString(2), rs.getString(3),
                            Pg.map(rs.getString(4)), rs.getString(5), rs.getString(6), Pg.instant(rs, "at"),
                            Pg.instant(rs, "valid_to")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw StoreException.failed("history", e);
        }
    }

    @Override
    public Page<Fact> list(Scope scope, Filter filter, boolean includeInvalid, String cursor, int limit) {
        long after = Long.MAX_VALUE;
        if (cursor != null && !cursor.isBlank()) {
            try {
                after = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw StoreException.invalid("cursor", "is not a cursor this service returned");
            }
        }
        if (limit < 1) {
            throw StoreException.invalid("limit", "must be positive");
        }
        StringBuilder sql = new StringBuilder("SELECT " + FACT_COLUMNS + " FROM facts WHERE agent_id = ? AND n < ?");
        if (scope.userId() != null) {
            sql.append(" AND user_id = ?");
        }
        if (scope.sessionId() != null) {
            sql.append(" AND session_id = ?");
        }
        if (!includeInvalid) {
            sql.append(" AND active");
        }
        sql.append(" ORDER BY n DESC LIMIT ?");
        List<Fact> out = new ArrayList<>();
        long last = after;
        boolean more = true;
        try (Connection c = dataSource.getConnection()) {
            // filters are checked row by row with the reference semantics (Filter.matches); chunks until full
            while (out.size() < limit && more) {
                int chunk = Math.max(limit * 2, 100);
                try (PreparedStatement st = c.prepareStatement(sql.toString())) {
                    int i = 1;
                    st.setString(i++, scope.agentId());
                    st.setLong(i++, last);
                    if (scope.userId() != null) {
                        st.setString(i++, scope.userId());
                    }
                    if (scope.sessionId() != null) {
                        st.setString(i++, scope.sessionId());
                    }
                    st.setInt(i, chunk);
                    int rows = 0;
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            rows++;
                            last = rs.getLong("n");
                            Fact f = fact(rs);
                            if (filter == null || Filter.matches(filter, field -> valueOf(f, field))) {
                                out.add(f);
                                if (out.size() == limit) {
                                    break;
                                }
                            }
                        }
                    }
                    more = rows == chunk || (out.size() == limit && rows > 0);
                }
            }
            return new Page<>(out, out.size() == limit && more ? Long.toString(last) : null);
        } catch (SQLException e) {
            throw StoreException.failed("list", e);
        }
    }

    /** A fact's value for a filter field, as {@link IndexDoc#value} defines it. */
    static Object valueOf(Fact f, String field) {
        return new IndexDoc(f.id(), f.scope(), f.text(), null, f.createdAt().toEpochMilli(), f.metadata()).value(field);
    }

    @Override
    public List<Change> changesSince(long since, int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT " + FACT_COLUMNS + ", embedding FROM facts "
                     + "WHERE seq > ? ORDER BY seq LIMIT ?")) {
            st.setLong(1, since);
            st.setInt(2, limit);
            List<Change> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Change(rs.getLong("seq"), fact(rs), Pg.floats(rs.getBytes("embedding"))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw StoreException.failed("changes", e);
        }
    }

    /** The highest committed change counter (uncommitted draws from the sequence are not counted). */
    @Override
    public long maxSeq() {
        return queryLong("SELECT COALESCE(MAX(seq), 0) FROM facts");
    }

    @Override
    public long countActive() {
        return queryLong("SELECT COUNT(*) FROM facts WHERE active");
    }

    @Override
    public List<Episode> searchEpisodes(Scope scope, String query, int limit) {
        String tsquery = tsQuery(query);
        if (tsquery.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT e.*, e.metadata::text AS meta FROM episodes e, "
                + "to_tsquery('english', ?) q WHERE e.tsv @@ q AND e.agent_id = ?");
        if (scope.userId() != null) {
            sql.append(" AND e.user_id = ?");
        }
        if (scope.sessionId() != null) {
            sql.append(" AND e.session_id = ?");
        }
        sql.append(" ORDER BY ts_rank_cd(e.tsv, q) DESC, e.seq DESC LIMIT ?");
        return episodeQuery(sql.toString(), scope, tsquery, null, limit);
    }

    @Override
    public List<Episode> episodes(Scope scope, long afterSeq, int limit) {
        StringBuilder sql = new StringBuilder("SELECT e.*, e.metadata::text AS meta FROM episodes e WHERE e.agent_id = ?");
        if (scope.userId() != null) {
            sql.append(" AND e.user_id = ?");
        }
        if (scope.sessionId() != null) {
            sql.append(" AND e.session_id = ?");
        }
        sql.append(" AND e.seq > ? ORDER BY e.seq LIMIT ?");
        return episodeQuery(sql.toString(), scope, null, afterSeq, limit);
    }

    private List<Episode> episodeQuery(String sql, Scope scope, String tsquery, Long afterSeq, int limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            int i = 1;
            if (tsquery != null) {
                st.setString(i++, tsquery);
            }
            st.setString(i++, scope.agentId());
            if (scope.userId() != null) {
                st.setString(i++, scope.userId());
            }
            if (scope.sessionId() != null) {
                st.setString(i++, scope.sessionId());
            }
            if (afterSeq != null) {
                st.setLong(i++, afterSeq);
            }
            st.setInt(i, limit);
            List<Episode> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Episode(rs.getString("id"), Pg.scope(rs, "agent_id", "user_id", "session_id"),
                            rs.getLong("seq"), rs.getString("role"), rs.getString("content"),
                            Pg.map(rs.getString("meta")), Pg.instant(rs, "at"), rs.getString("fact_id")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw StoreException.failed("episodes", e);
        }
    }

    /**
     * The words of the query (letters and digits only, so no tsquery operator can be injected) joined with
     * {@code |}: any word matches, stemmed by the english configuration; stop words drop out.
     */
    static String tsQuery(String q) {
        StringBuilder out = new StringBuilder();
        for (String w : q.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.length() < 2) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append(" | ");
            }
            out.append(w);
        }
        return out.toString();
    }

    @Override
    public Map<String, List<String>> neighbourFacts(Collection<String> factIds, int window) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (factIds.isEmpty() || window <= 0) {
            return out;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement origin = c.prepareStatement("SELECT seq, agent_id, user_id, session_id FROM episodes "
                     + "WHERE fact_id = ? ORDER BY seq LIMIT 1");
             PreparedStatement before = c.prepareStatement("SELECT fact_id FROM episodes WHERE agent_id = ? "
                     + "AND user_id = ? AND session_id = ? AND seq < ? AND fact_id IS NOT NULL ORDER BY seq DESC LIMIT ?");
             PreparedStatement afterSt = c.prepareStatement("SELECT fact_id FROM episodes WHERE agent_id = ? "
                     + "AND user_id = ? AND session_id = ? AND seq > ? AND fact_id IS NOT NULL ORDER BY seq LIMIT ?")) {
            for (String id : factIds) {
                origin.setString(1, id);
                List<String> n = new ArrayList<>();
                try (ResultSet rs = origin.executeQuery()) {
                    if (!rs.next()) {
                        continue;
                    }
                    for (PreparedStatement st : List.of(before, afterSt)) {
                        st.setString(1, rs.getString(2));
                        st.setString(2, rs.getString(3));
                        st.setString(3, rs.getString(4));
                        st.setLong(4, rs.getLong(1));
                        st.setInt(5, window);
                        try (ResultSet r2 = st.executeQuery()) {
                            while (r2.next()) {
                                String f = r2.getString(1);
                                if (!f.equals(id) && !n.contains(f)) {
                                    n.add(f);
                                }
                            }
                        }
                    }
                }
                out.put(id, n);
            }
            return out;
        } catch (SQLException e) {
            throw StoreException.failed("neighbours", e);
        }
    }

    @Override
    public List<InventoryRow> inventory(String agentId) {
        String where = agentId == null ? "" : " WHERE agent_id = ?";
        List<InventoryRow> out = new ArrayList<>();
        String[] queries = {
                "SELECT agent_id, user_id, CASE WHEN active THEN 'fact' ELSE 'fact.invalidated' END, COUNT(*), "
                        + "COALESCE(SUM(octet_length(text) + octet_length(metadata::text) "
                        + "+ COALESCE(octet_length(embedding), 0)), 0), MIN(created_at), MAX(updated_at) FROM facts"
                        + where + " GROUP BY 1, 2, 3",
                "SELECT agent_id, user_id, 'episode', COUNT(*), COALESCE(SUM(octet_length(content)), 0), "
                        + "MIN(at), MAX(at) FROM episodes" + where + " GROUP BY 1, 2"};
        try (Connection c = dataSource.getConnection()) {
            for (String q : queries) {
                try (PreparedStatement st = c.prepareStatement(q)) {
                    if (agentId != null) {
                        st.setString(1, agentId);
                    }
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            out.add(new InventoryRow(rs.getString(1), Pg.nullable(rs.getString(2)), rs.getString(3),
                                    rs.getLong(4), rs.getLong(5), Instant.ofEpochMilli(rs.getLong(6)),
                                    Instant.ofEpochMilli(rs.getLong(7))));
                        }
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw StoreException.failed("inventory", e);
        }
    }

    // ---- jobs -------------------------------------------------------------------------------------------

    @Override
    public Job createJob(Job job) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("INSERT INTO jobs (id, agent_id, status, items, ids, error, "
                     + "created_at, finished_at) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?)")) {
            st.setString(1, job.id());
            st.setString(2, job.agentId());
            st.setString(3, job.status());
            st.setInt(4, job.items());
            st.setString(5, Pg.json(job.ids()));
            st.setString(6, job.error());
            st.setLong(7, job.createdAt().toEpochMilli());
            Pg.setInstant(st, 8, job.finishedAt());
            st.executeUpdate();
            return job;
        } catch (SQLException e) {
            throw StoreException.failed("job", e);
        }
    }

    @Override
    public void updateJob(Job job) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("UPDATE jobs SET status = ?, ids = ?::jsonb, error = ?, "
                     + "finished_at = ? WHERE id = ?")) {
            st.setString(1, job.status());
            st.setString(2, Pg.json(job.ids()));
            st.setString(3, job.error());
            Pg.setInstant(st, 4, job.finishedAt());
            st.setString(5, job.id());
            st.executeUpdate();
        } catch (SQLException e) {
            throw StoreException.failed("job", e);
        }
    }

    @Override
    public Optional<Job> job(String id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT id, agent_id, status, items, ids::text AS ids, error, "
                     + "created_at, finished_at FROM jobs WHERE id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Job(rs.getString("id"), rs.getString("agent_id"), rs.getString("status"),
                        rs.getInt("items"), Pg.list(rs.getString("ids")), rs.getString("error"),
                        Pg.instant(rs, "created_at"), Pg.instant(rs, "finished_at")));
            }
        } catch (SQLException e) {
            throw StoreException.failed("job", e);
        }
    }

    private long queryLong(String sql) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql);
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw StoreException.failed("read", e);
        }
    }

    @Override
    public void close() {
        // the pool belongs to PgMemoryBackend
    }
}
