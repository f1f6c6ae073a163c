package io.memroos.memory.sqlite;

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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The records in SQLite (migrated by Flyway from {@code db/migration}). One writer at a time (SQLite allows one),
 * readers in parallel under WAL. The change counter {@code seq} orders every fact change for the index.
 */
public final class SqliteMemoryStore implements MemoryStore {

    private static final String FACT_COLUMNS = "n, id, agent_id, user_id, session_id, text, metadata, version, active, "
            + "created_at, updated_at, invalidated_at, seq";

    private final DataSource dataSource;
    private final ReentrantLock writer;
    private long seq;

    /** {@code writer} is shared with the graph store on the same file. */
    public SqliteMemoryStore(DataSource dataSource, ReentrantLock writer) {
        this.dataSource = dataSource;
        this.writer = writer;
        this.seq = queryLong("SELECT COALESCE(MAX(seq), 0) FROM facts");
    }

    // ---- writes -----------------------------------------------------------------------------------------

    @Override
    public WriteBatch.Result write(WriteBatch batch) {
        writer.lock();
        try (Connection c = dataSource.getConnection(); Statements sql = new Statements(c)) {
            c.setAutoCommit(false);
            long seqBefore = seq;
            try {
                List<WriteBatch.Written> written = new ArrayList<>(batch.facts().size());
                Map<String, String> inBatch = new HashMap<>();
                for (NewFact f : batch.facts()) {
                    String dedupeKey = f.scope() + "\u0000" + f.normalized();
                    String existing = inBatch.get(dedupeKey);
                    if (existing == null) {
                        existing = findDuplicate(sql, f.scope(), hash(f.normalized()));
                    }
                    if (existing != null) {
                        written.add(new WriteBatch.Written(existing, false, 0));
                        continue;
                    }
                    long s = ++seq;
                    insertFact(sql, f, s);
                    insertVersion(sql, f.id(), 1, "create", f.text(), f.metadata(), batch.receipt().actor(),
                            batch.receipt().reason(), f.at());
                    inBatch.put(dedupeKey, f.id());
                    written.add(new WriteBatch.Written(f.id(), true, s));
                }
                List<Episode> episodes = new ArrayList<>();
                for (WriteBatch.NewEpisode e : batch.episodes()) {
                    String factId = e.factIndex() >= 0 ? written.get(e.factIndex()).id() : null;
                    episodes.add(insertEpisode(sql, e, factId));
                }
                List<String> ids = new ArrayList<>();
                written.forEach(w -> ids.add(w.id()));
                if (batch.receipt() != null) {
                    ReceiptOutbox.append(c, batch.receipt().withIds(ids.stream().distinct().toList()), Instant.now());
                }
                c.commit();
                return new WriteBatch.Result(written, episodes);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                seq = seqBefore;
                throw e;
            }
        } catch (SQLException e) {
            throw StoreException.failed("write", e);
        } finally {
            writer.unlock();
        }
    }

    /**
     * The statements of one write, each prepared once and reused for every row of the batch (preparing a statement
     * per row was a tenth of a batch's time), closed with the write.
     */
    static final class Statements implements AutoCloseable {
        private final Connection c;
        private final Map<String, PreparedStatement> prepared = new HashMap<>();

        Statements(Connection c) {
            this.c = c;
        }

        PreparedStatement get(String sql) throws SQLException {
            PreparedStatement st = prepared.get(sql);
            if (st == null) {
                st = c.prepareStatement(sql);
                prepared.put(sql, st);
            }
            return st;
        }

        @Override
        public void close() throws SQLException {
            SQLException first = null;
            for (PreparedStatement st : prepared.values()) {
                try {
                    st.close();
                } catch (SQLException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    private static String findDuplicate(Statements sql, Scope scope, String hash) throws SQLException {
        PreparedStatement st = sql.get("SELECT id FROM facts WHERE agent_id = ? AND user_id = ? "
                + "AND session_id = ? AND norm_hash = ? AND active = 1");
        st.setString(1, scope.agentId());
        st.setString(2, Rows.key(scope.userId()));
        st.setString(3, Rows.key(scope.sessionId()));
        st.setString(4, hash);
        try (ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void insertFact(Statements sql, NewFact f, long s) throws SQLException {
        PreparedStatement st = sql.get("INSERT INTO facts (id, agent_id, user_id, session_id, text, "
                + "norm_hash, metadata, embedding, version, active, created_at, updated_at, seq) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?, ?, ?)");
        st.setString(1, f.id());
        st.setString(2, f.scope().agentId());
        st.setString(3, Rows.key(f.scope().userId()));
        st.setString(4, Rows.key(f.scope().sessionId()));
        st.setString(5, f.text());
        st.setString(6, hash(f.normalized()));
        st.setString(7, Rows.json(f.metadata()));
        st.setBytes(8, Rows.bytes(f.embedding()));
        st.setLong(9, f.at().toEpochMilli());
        st.setLong(10, f.at().toEpochMilli());
        st.setLong(11, s);
        st.executeUpdate();
    }

    private static void insertVersion(Statements sql, String factId, int version, String change, String text,
                                      Map<String, Object> metadata, String actor, String reason, Instant at)
            throws SQLException {
        if (!"create".equals(change)) {
            // a new fact has no version to end
            PreparedStatement end = sql.get("UPDATE fact_versions SET valid_to = ? WHERE fact_id = ? AND valid_to IS NULL");
            end.setLong(1, at.toEpochMilli());
            end.setString(2, factId);
            end.executeUpdate();
        }
        PreparedStatement st = sql.get("INSERT INTO fact_versions (fact_id, version, change, text, "
                + "metadata, actor, reason, at, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        st.setString(1, factId);
        st.setInt(2, version);
        st.setString(3, change);
        st.setString(4, text);
        st.setString(5, Rows.json(metadata));
        st.setString(6, actor);
        st.setString(7, reason);
        st.setLong(8, at.toEpochMilli());
        // an invalidation closes the history: its own entry is born ended
        Rows.setInstant(st, 9, "invalidate".equals(change) ? at : null);
        st.executeUpdate();
    }

    private static Episode insertEpisode(Statements sql, WriteBatch.NewEpisode e, String factId) throws SQLException {
        long seq;
        PreparedStatement episode = sql.get("INSERT INTO episodes (id, agent_id, user_id, session_id, role, "
                + "content, metadata, at, fact_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq");
        episode.setString(1, e.id());
        episode.setString(2, e.scope().agentId());
        episode.setString(3, Rows.key(e.scope().userId()));
        episode.setString(4, Rows.key(e.scope().sessionId()));
        episode.setString(5, e.role());
        episode.setString(6, e.content());
        episode.setString(7, Rows.json(e.metadata()));
        episode.setLong(8, e.at().toEpochMilli());
        episode.setString(9, factId);
        try (ResultSet keys = episode.executeQuery()) {
            keys.next();
            seq = keys.getLong(1);
        }
        PreparedStatement fts = sql.get("INSERT INTO episodes_fts (rowid, content) VALUES (?, ?)");
        fts.setLong(1, seq);
        fts.setString(2, e.content());
        fts.executeUpdate();
        return new Episode(e.id(), e.scope(), seq, e.role(), e.content(), e.metadata(), e.at(), factId);
    }

    @Override
    public Fact update(String id, String text, String normalized, Map<String, Object> metadata, float[] embedding,
                       Instant at, Receipt receipt) {
        writer.lock();
        try (Connection c = dataSource.getConnection(); Statements sql = new Statements(c)) {
            c.setAutoCommit(false);
            long seqBefore = seq;
            try {
                Fact current = get(c, id).orElseThrow(() -> StoreException.notFound("no memory " + id));
                if (!current.active()) {
                    throw new StoreException(StoreException.Kind.CONFLICT, null,
                            "memory " + id + " is invalidated; an invalidated memory is not updated");
                }
                String dup = findDuplicate(sql, current.scope(), hash(normalized));
                if (dup != null && !dup.equals(id)) {
                    throw new StoreException(StoreException.Kind.CONFLICT, "text",
                            "an active memory with this text exists in the scope: " + dup);
                }
                Map<String, Object> meta = metadata == null ? current.metadata() : metadata;
                long s = ++seq;
                int version = current.version() + 1;
                try (PreparedStatement st = c.prepareStatement("UPDATE facts SET text = ?, norm_hash = ?, metadata = ?, "
                        + "embedding = ?, version = ?, updated_at = ?, seq = ? WHERE id = ?")) {
                    st.setString(1, text);
                    st.setString(2, hash(normalized));
                    st.setString(3, Rows.json(meta));
                    st.setBytes(4, Rows.bytes(embedding));
                    st.setInt(5, version);
                    st.setLong(6, at.toEpochMilli());
                    st.setLong(7, s);
                    st.setString(8, id);
                    st.executeUpdate();
                }
                insertVersion(sql, id, version, "update", text, meta, receipt.actor(), receipt.reason(), at);
                ReceiptOutbox.append(c, receipt.withIds(List.of(id)), at);
                c.commit();
                return get(c, id).orElseThrow();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                seq = seqBefore;
                throw e;
            }
        } catch (SQLException e) {
            throw StoreException.failed("update", e);
        } finally {
            writer.unlock();
        }
    }

    @Override
    public Fact invalidate(String id, Instant at, Receipt receipt) {
        writer.lock();
        try (Connection c = dataSource.getConnection(); Statements sql = new Statements(c)) {
            c.setAutoCommit(false);
            long seqBefore = seq;
            try {
                Fact current = get(c, id).orElseThrow(() -> StoreException.notFound("no memory " + id));
                if (!current.active()) {
                    c.rollback();
                    return current;
                }
                long s = ++seq;
                try (PreparedStatement st = c.prepareStatement(
                        "UPDATE facts SET active = 0, invalidated_at = ?, seq = ? WHERE id = ?")) {
                    st.setLong(1, at.toEpochMilli());
                    st.setLong(2, s);
                    st.setString(3, id);
                    st.executeUpdate();
                }
                insertVersion(sql, id, current.version(), "invalidate", current.text(), current.metadata(),
                        receipt.actor(), receipt.reason(), at);
                ReceiptOutbox.append(c, receipt.withIds(List.of(id)), at);
                c.commit();
                return get(c, id).orElseThrow();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                seq = seqBefore;
                throw e;
            }
        } catch (SQLException e) {
            throw StoreException.failed("invalidate", e);
        } finally {
            writer.unlock();
        }
    }

    @Override
    public List<Episode> appendEpisodes(List<WriteBatch.NewEpisode> episodes, Receipt receipt) {
        writer.lock();
        try (Connection c = dataSource.getConnection(); Statements sql = new Statements(c)) {
            c.setAutoCommit(false);
            try {
                List<Episode> out = new ArrayList<>();
                for (WriteBatch.NewEpisode e : episodes) {
                    out.add(insertEpisode(sql, e, null));
                }
                ReceiptOutbox.append(c, receipt.withIds(out.stream().map(Episode::id).toList()), Instant.now());
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw StoreException.failed("append episodes", e);
        } finally {
            writer.unlock();
        }
    }

    @Override
    public void receipt(Receipt receipt) {
        writer.lock();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            ReceiptOutbox.append(c, receipt, Instant.now());
        } catch (SQLException e) {
            throw StoreException.failed("receipt", e);
        } finally {
            writer.unlock();
        }
    }

    @Override
    public long purgeAgent(String agentId) {
        writer.lock();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long n = 0;
            try {
                n += exec(c, "DELETE FROM fact_versions WHERE fact_id IN (SELECT id FROM facts WHERE agent_id = ?)", agentId);
                n += exec(c, "DELETE FROM facts WHERE agent_id = ?", agentId);
                exec(c, "DELETE FROM episodes_fts WHERE rowid IN (SELECT seq FROM episodes WHERE agent_id = ?)", agentId);
                n += exec(c, "DELETE FROM episodes WHERE agent_id = ?", agentId);
                exec(c, "DELETE FROM jobs WHERE agent_id = ?", agentId);
                c.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw StoreException.failed("purge", e);
        } finally {
            writer.unlock();
        }
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
            return get(c, id);
        } catch (SQLException e) {
            throw StoreException.failed("read", e);
        }
    }

    private static Optional<Fact> get(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT " + FACT_COLUMNS + " FROM facts WHERE id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(fact(rs)) : Optional.empty();
            }
        }
    }

    private static Fact fact(ResultSet rs) throws SQLException {
        return new Fact(rs.getString("id"), Rows.scope(rs, "agent_id", "user_id", "session_id"),
                rs.getString("text"), Rows.map(rs.getString("metadata")), rs.getInt("version"),
                rs.getInt("active") == 1, Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"),
                Rows.instant(rs, "invalidated_at"), rs.getLong("seq"));
    }

    @Override
    public List<Fact> getAll(Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Fact> out = new ArrayList<>(ids.size());
        List<String> all = List.copyOf(ids);
        try (Connection c = dataSource.getConnection()) {
            for (int from = 0; from < all.size(); from += 500) {
                List<String> part = all.subList(from, Math.min(all.size(), from + 500));
                try (PreparedStatement st = c.prepareStatement("SELECT " + FACT_COLUMNS + " FROM facts WHERE id IN ("
                        + "?,".repeat(part.size() - 1) + "?)")) {
                    for (int i = 0; i < part.size(); i++) {
                        st.setString(i + 1, part.get(i));
                    }
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            out.add(fact(rs));
                        }
                    }
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
                return rs.next() ? Optional.ofNullable(Rows.floats(rs.getBytes(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw StoreException.failed("read", e);
        }
    }

    @Override
    public List<FactVersion> history(String id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT version, change, text, metadata, actor, reason, at, "
                     + "valid_to FROM fact_versions WHERE fact_id = ? ORDER BY at, version, "
                     + "CASE change WHEN 'create' THEN 0 WHEN 'update' THEN 1 ELSE 2 END")) {
            st.setString(1, id);
            List<FactVersion> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new FactVersion(id, rs.getInt(1), rs.getString(2), rs.getString(3),
                            Rows.map(rs.getString(4)), rs.getString(5), rs.getString(6), Rows.instant(rs, "at"),
                            Rows.instant(rs, "valid_to")));
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
        StringBuilder sql = new StringBuilder("SELECT " + FACT_COLUMNS + ", embedding IS NULL AS noemb FROM facts "
                + "WHERE agent_id = ? AND n < ?");
        if (scope.userId() != null) {
            sql.append(" AND user_id = ?");
        }
        if (scope.sessionId() != null) {
            sql.append(" AND session_id = ?");
        }
        if (!includeInvalid) {
            sql.append(" AND active = 1");
        }
        sql.append(" ORDER BY n DESC LIMIT ?");
        List<Fact> out = new ArrayList<>();
        long last = after;
        boolean more = true;
        try (Connection c = dataSource.getConnection()) {
            // filters are checked row by row with the reference semantics; pages are read in chunks until full
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
                    if (out.size() == limit) {
                        break;
                    }
                }
            }
            return new Page<>(out, out.size() == limit && more ? Long.toString(last) : null);
        } catch (SQLException e) {
            throw StoreException.failed("list", e);
        }
    }

    /** A fact's value for a filter field, as {@link IndexDoc#value} defines it. */
    public static Object valueOf(Fact f, String field) {
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
                    out.add(new Change(rs.getLong("seq"), fact(rs), Rows.floats(rs.getBytes("embedding"))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw StoreException.failed("changes", e);
        }
    }

    @Override
    public long maxSeq() {
        writer.lock();
        try {
            return seq;
        } finally {
            writer.unlock();
        }
    }

    @Override
    public long countActive() {
        return queryLong("SELECT COUNT(*) FROM facts WHERE active = 1");
    }

    @Override
    public List<Episode> searchEpisodes(Scope scope, String query, int limit) {
        String match = ftsQuery(query);
        if (match.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT e.* FROM episodes_fts f JOIN episodes e ON e.seq = f.rowid "
                + "WHERE episodes_fts MATCH ? AND e.agent_id = ?");
        if (scope.userId() != null) {
            sql.append(" AND e.user_id = ?");
        }
        if (scope.sessionId() != null) {
            sql.append(" AND e.session_id = ?");
        }
        sql.append(" ORDER BY bm25(episodes_fts) LIMIT ?");
        return episodeQuery(sql.toString(), scope, match, null, limit);
    }

    @Override
    public List<Episode> episodes(Scope scope, long afterSeq, int limit) {
        StringBuilder sql = new StringBuilder("SELECT e.* FROM episodes e WHERE e.agent_id = ?");
        if (scope.userId() != null) {
            sql.append(" AND e.user_id = ?");
        }
        if (scope.sessionId() != null) {
            sql.append(" AND e.session_id = ?");
        }
        sql.append(" AND e.seq > ? ORDER BY e.seq LIMIT ?");
        return episodeQuery(sql.toString(), scope, null, afterSeq, limit);
    }

    private List<Episode> episodeQuery(String sql, Scope scope, String match, Long afterSeq, int limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            int i = 1;
            if (match != null) {
                st.setString(i++, match);
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
                    out.add(new Episode(rs.getString("id"), Rows.scope(rs, "agent_id", "user_id", "session_id"),
                            rs.getLong("seq"), rs.getString("role"), rs.getString("content"),
                            Rows.map(rs.getString("metadata")), Rows.instant(rs, "at"), rs.getString("fact_id")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw StoreException.failed("episodes", e);
        }
    }

    /** Words of the query as an FTS5 OR of quoted terms (no operator injection). */
    static String ftsQuery(String q) {
        StringBuilder out = new StringBuilder();
        for (String w : q.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.length() < 2) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append(" OR ");
            }
            out.append('"').append(w).append('"');
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
        String[][] queries = {
                {"SELECT agent_id, user_id, CASE active WHEN 1 THEN 'fact' ELSE 'fact.invalidated' END, COUNT(*), "
                        + "COALESCE(SUM(LENGTH(CAST(text AS BLOB)) + LENGTH(metadata) + COALESCE(LENGTH(embedding), 0)), 0), "
                        + "MIN(created_at), MAX(updated_at) FROM facts" + where + " GROUP BY 1, 2, 3"},
                {"SELECT agent_id, user_id, 'episode', COUNT(*), COALESCE(SUM(LENGTH(CAST(content AS BLOB))), 0), "
                        + "MIN(at), MAX(at) FROM episodes" + where + " GROUP BY 1, 2"}};
        try (Connection c = dataSource.getConnection()) {
            for (String[] q : queries) {
                try (PreparedStatement st = c.prepareStatement(q[0])) {
                    if (agentId != null) {
                        st.setString(1, agentId);
                    }
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            out.add(new InventoryRow(rs.getString(1), Rows.nullable(rs.getString(2)), rs.getString(3),
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
        writer.lock();
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("INSERT INTO jobs (id, agent_id, status, items, ids, error, "
                     + "created_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            st.setString(1, job.id());
            st.setString(2, job.agentId());
            st.setString(3, job.status());
            st.setInt(4, job.items());
            st.setString(5, Rows.json(job.ids()));
            st.setString(6, job.error());
            st.setLong(7, job.createdAt().toEpochMilli());
            Rows.setInstant(st, 8, job.finishedAt());
            st.executeUpdate();
            return job;
        } catch (SQLException e) {
            throw StoreException.failed("job", e);
        } finally {
            writer.unlock();
        }
    }

    @Override
    public void updateJob(Job job) {
        writer.lock();
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("UPDATE jobs SET status = ?, ids = ?, error = ?, finished_at = ? "
                     + "WHERE id = ?")) {
            st.setString(1, job.status());
            st.setString(2, Rows.json(job.ids()));
            st.setString(3, job.error());
            Rows.setInstant(st, 4, job.finishedAt());
            st.setString(5, job.id());
            st.executeUpdate();
        } catch (SQLException e) {
            throw StoreException.failed("job", e);
        } finally {
            writer.unlock();
        }
    }

    @Override
    public Optional<Job> job(String id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT * FROM jobs WHERE id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Job(rs.getString("id"), rs.getString("agent_id"), rs.getString("status"),
                        rs.getInt("items"), Rows.list(rs.getString("ids")), rs.getString("error"),
                        Rows.instant(rs, "created_at"), Rows.instant(rs, "finished_at")));
            }
        } catch (SQLException e) {
            throw StoreException.failed("job", e);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private long queryLong(String sql) {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql);
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw StoreException.failed("read", e);
        }
    }

    /** SHA-256 hex of the normalized text: the duplicate key. */
    static String hash(String normalized) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(normalized.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        // the data source belongs to the caller
    }
}
