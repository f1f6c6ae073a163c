package io.memroos.memory.lucene;

import io.memroos.memory.embed.Vectors;
import io.memroos.memory.store.Filter;
import io.memroos.memory.store.Hit;
import io.memroos.memory.store.IndexDoc;
import io.memroos.memory.store.IndexInfo;
import io.memroos.memory.store.KeywordIndex;
import io.memroos.memory.store.Scope;
import io.memroos.memory.store.StoreException;
import io.memroos.memory.store.VectorIndex;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The embedded vector (HNSW, cosine) and keyword (BM25, English analyzer) index over active facts, in one Lucene
 * directory. Writes are visible to every search that starts after {@link #upsert} returns: a write marks the
 * near-real-time reader stale and the next search (or {@link #info}) refreshes it first, so a burst of writes
 * without searches in between costs one refresh, not one per write (each refresh flushes a small segment whose
 * HNSW graph is later rebuilt by merges). Durability is by {@link #markApplied}, which commits with the store
 * change counter so that a restart knows where to catch up from. The embedding model id and dimension live in
 * every commit; opening with others is refused.
 * <p>
 * Vectors are stored L2-normalised and compared by dot product, which is the cosine of the originals (score
 * (1+cos)/2, as the interface says) at a third of the arithmetic per comparison. The document id is also kept
 * as a doc value, so a hit's id is read without decompressing stored fields.
 */
public final class LuceneIndex implements VectorIndex, KeywordIndex {

    static final String ID = "id";
    static final String AGENT = "agent";
    static final String USER = "user";
    static final String SESSION = "session";
    static final String TEXT = "text";
    static final String VECTOR = "vec";
    static final String CREATED = "created";
    static final String META = "m.";
    static final String META_LOWER = "ml.";
    static final String META_NUMBER = "mn.";
    static final String KEY_MODEL = "embedding.model";
    static final String KEY_DIMENSION = "embedding.dimension";
    static final String KEY_SEQ = "store.seq";

    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final AtomicBoolean stale = new AtomicBoolean();
    private final Analyzer analyzer = analyzer();
    private final String model;
    private final int dimension;
    private volatile long appliedSeq;

    private LuceneIndex(Directory directory, IndexWriter writer, String model, int dimension, long appliedSeq)
            throws IOException {
        this.directory = directory;
        this.writer = writer;
        this.searchers = new SearcherManager(writer, null);
        this.model = model;
        this.dimension = dimension;
        this.appliedSeq = appliedSeq;
    }

    /**
     * Opens (or creates) the index in {@code dir} for this embedding model and dimension. An existing index made
     * for another model or dimension is refused with {@link StoreException.Kind#INCOMPATIBLE}.
     */
    public static LuceneIndex open(Path dir, String model, int dimension) {
        try {
            Files.createDirectories(dir);
            Directory directory = FSDirectory.open(dir);
            long seq = 0;
            boolean exists = DirectoryReader.indexExists(directory);
            if (exists) {
                Map<String, String> data = SegmentInfos.readLatestCommit(directory).getUserData();
                String storedModel = data.get(KEY_MODEL);
                String storedDim = data.get(KEY_DIMENSION);
                if (storedDim != null && (Integer.parseInt(storedDim) != dimension || !model.equals(storedModel))) {
                    directory.close();
                    throw new StoreException(StoreException.Kind.INCOMPATIBLE, null, "the memory index at " + dir
                            + " was built with embedding model " + storedModel + " (dimension " + storedDim
                            + "); this service embeds with " + model + " (dimension " + dimension
                            + "). Vectors of different models are never mixed: move the index away to rebuild it "
                            + "from the records, or configure the model it was built with.");
                }
                seq = Long.parseLong(data.getOrDefault(KEY_SEQ, "0"));
            }
            IndexWriterConfig config = new IndexWriterConfig(analyzer());
            config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            config.setRAMBufferSizeMB(64);
            config.setCommitOnClose(false);
            IndexWriter writer = new IndexWriter(directory, config);
            LuceneIndex index = new LuceneIndex(directory, writer, model, dimension, seq);
            if (!exists) {
                index.markApplied(0);
            }
            return index;
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "cannot open the memory index at " + dir, e);
        }
    }

    /**
     * English stemming with a stop list extended by the pronouns, auxiliaries and question words of conversational
     * queries ("what does she ..."), which otherwise make BM25 match every turn weakly.
     */
    static Analyzer analyzer() {
        CharArraySet stop = new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, true);
        stop.addAll(List.of("what", "which", "who", "whom", "whose", "when", "where", "why", "how", "does", "do",
                "did", "done", "she", "he", "her", "hers", "his", "him", "i", "me", "my", "mine", "you", "your",
                "yours", "we", "our", "ours", "us", "them", "its", "has", "have", "had", "having", "been", "being",
                "am", "can", "could", "would", "should", "shall", "may", "might", "must", "about", "any", "some",
                "from", "up", "out", "so", "than", "too", "very", "just", "also", "all", "got", "get", "there's",
                "it's", "i'm", "i've", "i'd", "you're", "that's", "what's", "oh", "ok", "okay", "yes", "hi", "hello",
                "thanks", "thank", "please", "now", "here", "over"));
        return new EnglishAnalyzer(stop);
    }

    // ---- writes -----------------------------------------------------------------------------------------

    @Override
    public void upsert(List<IndexDoc> docs) {
        if (docs.isEmpty()) {
            return;
        }
        try {
            for (IndexDoc d : docs) {
                if (d.embedding() == null || d.embedding().length != dimension) {
                    throw new StoreException(StoreException.Kind.INCOMPATIBLE, null, "memory " + d.id()
                            + " has an embedding of dimension " + (d.embedding() == null ? 0 : d.embedding().length)
                            + "; this index holds dimension " + dimension + " (" + model + ")");
                }
                writer.updateDocument(new Term(ID, d.id()), document(d));
            }
            stale.set(true);
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "index write failed", e);
        }
    }

    private Document document(IndexDoc d) {
        Document doc = new Document();
        doc.add(new StringField(ID, d.id(), Field.Store.YES));
        doc.add(new BinaryDocValuesField(ID, new BytesRef(d.id())));
        doc.add(new StringField(AGENT, d.scope().agentId(), Field.Store.NO));
        if (d.scope().userId() != null) {
            doc.add(new StringField(USER, d.scope().userId(), Field.Store.NO));
            doc.add(new StringField(META_LOWER + "userId", d.scope().userId().toLowerCase(Locale.ROOT), Field.Store.NO));
        }
        if (d.scope().sessionId() != null) {
            doc.add(new StringField(SESSION, d.scope().sessionId(), Field.Store.NO));
            doc.add(new StringField(META_LOWER + "sessionId", d.scope().sessionId().toLowerCase(Locale.ROOT),
                    Field.Store.NO));
        }
        doc.add(new TextField(TEXT, d.text(), Field.Store.NO));
        doc.add(new KnnFloatVectorField(VECTOR, Vectors.unit(d.embedding()), VectorSimilarityFunction.DOT_PRODUCT));
        doc.add(new LongPoint(CREATED, d.createdAtMillis()));
        doc.add(new StoredField(CREATED, d.createdAtMillis()));
        doc.add(new DoublePoint(META_NUMBER + "createdAt", d.createdAtMillis()));
        for (Map.Entry<String, Object> e : d.metadata().entrySet()) {
            Object v = e.getValue();
            for (Object x : v instanceof List<?> l ? l : List.of(v == null ? "" : v)) {
                if (x == null || x instanceof Map<?, ?> || x instanceof List<?>) {
                    continue;
                }
                String key = e.getKey();
                doc.add(new StringField(META + key, String.valueOf(x), Field.Store.NO));
                doc.add(new StringField(META_LOWER + key, String.valueOf(x).toLowerCase(Locale.ROOT), Field.Store.NO));
                if (x instanceof Number n) {
                    doc.add(new DoublePoint(META_NUMBER + key, n.doubleValue()));
                }
            }
        }
        return doc;
    }

    @Override
    public void delete(Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        try {
            writer.deleteDocuments(ids.stream().map(id -> new Term(ID, id)).toArray(Term[]::new));
            stale.set(true);
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "index delete failed", e);
        }
    }

    @Override
    public void deleteAgent(String agentId) {
        try {
            writer.deleteDocuments(new Term(AGENT, agentId));
            stale.set(true);
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "index delete failed", e);
        }
    }

    @Override
    public synchronized void markApplied(long seq) {
        try {
            writer.setLiveCommitData(Map.of(KEY_MODEL, model, KEY_DIMENSION, Integer.toString(dimension),
                    KEY_SEQ, Long.toString(seq)).entrySet());
            writer.commit();
            appliedSeq = seq;
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "index commit failed", e);
        }
    }

    // ---- searches ---------------------------------------------------------------------------------------

    @Override
    public List<Hit> nearest(float[] query, int k, Scope scope, Filter filter) {
        if (query.length != dimension) {
            throw new StoreException(StoreException.Kind.INCOMPATIBLE, null, "query vector has dimension "
                    + query.length + "; the index holds " + dimension);
        }
        return search(new KnnFloatVectorQuery(VECTOR, Vectors.unit(query), k, restriction(scope, filter)), k);
    }

    @Override
    public List<Hit> keywords(String query, int k, Scope scope, Filter filter) {
        List<String> terms = analyze(query);
        if (terms.isEmpty()) {
            return List.of();
        }
        BooleanQuery.Builder text = new BooleanQuery.Builder();
        for (String t : Set.copyOf(terms)) {
            text.add(new TermQuery(new Term(TEXT, t)), BooleanClause.Occur.SHOULD);
        }
        Query q = new BooleanQuery.Builder().add(text.build(), BooleanClause.Occur.MUST)
                .add(restriction(scope, filter), BooleanClause.Occur.FILTER).build();
        return search(q, k);
    }

    @Override
    public List<Hit> mentions(List<String> phrases, int k, Scope scope, Filter filter) {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        int clauses = 0;
        for (String p : phrases) {
            List<String> terms = analyze(p);
            if (terms.isEmpty()) {
                continue;
            }
            Query one = terms.size() == 1 ? new TermQuery(new Term(TEXT, terms.get(0)))
                    : new PhraseQuery(TEXT, terms.toArray(String[]::new));
            any.add(new ConstantScoreQuery(one), BooleanClause.Occur.SHOULD);
            if (++clauses == 64) {
                break;
            }
        }
        if (clauses == 0) {
            return List.of();
        }
        Query q = new BooleanQuery.Builder().add(any.build(), BooleanClause.Occur.MUST)
                .add(restriction(scope, filter), BooleanClause.Occur.FILTER).build();
        return search(q, k);
    }

    /** A searcher that sees every write made before the call. */
    private IndexSearcher acquire() throws IOException {
        if (stale.getAndSet(false)) {
            try {
                searchers.maybeRefreshBlocking();
            } catch (IOException | RuntimeException e) {
                stale.set(true);
                throw e;
            }
        }
        return searchers.acquire();
    }

    private List<Hit> search(Query q, int k) {
        try {
            IndexSearcher s = acquire();
            try {
                TopDocs top = s.search(q, k);
                List<Hit> out = new ArrayList<>(top.scoreDocs.length);
                int rank = 1;
                for (ScoreDoc sd : top.scoreDocs) {
                    out.add(new Hit(id(s, sd.doc), rank++, sd.score));
                }
                return out;
            } finally {
                searchers.release(s);
            }
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "index search failed", e);
        }
    }

    /** The fact id of a hit: from its doc value, or its stored field in a document written without one. */
    private static String id(IndexSearcher s, int doc) throws IOException {
        List<LeafReaderContext> leaves = s.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        BinaryDocValues ids = leaf.reader().getBinaryDocValues(ID);
        if (ids != null && ids.advanceExact(doc - leaf.docBase)) {
            return ids.binaryValue().utf8ToString();
        }
        return s.storedFields().document(doc, Set.of(ID)).get(ID);
    }

    /** The tokens the keyword field holds for {@code text}. */
    List<String> analyze(String text) {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream(TEXT, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Scope and filter as one query for Lucene's filter clauses and the kNN pre-filter. */
    static Query restriction(Scope scope, Filter filter) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        b.add(new TermQuery(new Term(AGENT, scope.agentId())), BooleanClause.Occur.FILTER);
        if (scope.userId() != null) {
            b.add(new TermQuery(new Term(USER, scope.userId())), BooleanClause.Occur.FILTER);
        }
        if (scope.sessionId() != null) {
            b.add(new TermQuery(new Term(SESSION, scope.sessionId())), BooleanClause.Occur.FILTER);
        }
        if (filter != null) {
            b.add(filterQuery(filter), BooleanClause.Occur.FILTER);
        }
        return b.build();
    }

    static Query filterQuery(Filter f) {
        if (f instanceof Filter.And a) {
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            b.add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER);
            a.all().forEach(x -> b.add(filterQuery(x), BooleanClause.Occur.FILTER));
            return b.build();
        }
        if (f instanceof Filter.Or o) {
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            o.any().forEach(x -> b.add(filterQuery(x), BooleanClause.Occur.SHOULD));
            b.setMinimumNumberShouldMatch(1);
            return b.build();
        }
        if (f instanceof Filter.Not n) {
            return not(filterQuery(n.filter()));
        }
        Filter.Cond c = (Filter.Cond) f;
        return switch (c.op()) {
            case EQ -> equalsQuery(c.field(), c.value());
            case NE -> not(equalsQuery(c.field(), c.value()));
            case IN -> {
                BooleanQuery.Builder b = new BooleanQuery.Builder();
                ((List<?>) c.value()).forEach(v -> b.add(equalsQuery(c.field(), v), BooleanClause.Occur.SHOULD));
                b.setMinimumNumberShouldMatch(1);
                yield b.build();
            }
            case RANGE -> {
                Filter.Range r = (Filter.Range) c.value();
                double lo = r.gte() != null ? r.gte() : r.gt() != null ? Math.nextUp(r.gt()) : Double.NEGATIVE_INFINITY;
                double hi = r.lte() != null ? r.lte() : r.lt() != null ? Math.nextDown(r.lt()) : Double.POSITIVE_INFINITY;
                if (r.gte() != null && r.gt() != null) {
                    lo = Math.max(r.gte(), Math.nextUp(r.gt()));
                }
                if (r.lte() != null && r.lt() != null) {
                    hi = Math.min(r.lte(), Math.nextDown(r.lt()));
                }
                yield DoublePoint.newRangeQuery(META_NUMBER + key(c.field()), lo, hi);
            }
            case CONTAINS -> {
                String needle = String.valueOf(c.value()).toLowerCase(Locale.ROOT);
                BooleanQuery.Builder b = new BooleanQuery.Builder();
                b.add(new WildcardQuery(new Term(META_LOWER + key(c.field()), "*" + escape(needle) + "*")),
                        BooleanClause.Occur.SHOULD);
                b.add(new TermQuery(new Term(META + key(c.field()), String.valueOf(c.value()))),
                        BooleanClause.Occur.SHOULD);
                b.setMinimumNumberShouldMatch(1);
                yield b.build();
            }
        };
    }

    private static Query equalsQuery(String field, Object value) {
        if ("createdAt".equals(field) && value instanceof Number n) {
            return DoublePoint.newExactQuery(META_NUMBER + "createdAt", n.doubleValue());
        }
        if ("userId".equals(field)) {
            return new TermQuery(new Term(USER, String.valueOf(value)));
        }
        if ("sessionId".equals(field)) {
            return new TermQuery(new Term(SESSION, String.valueOf(value)));
        }
        if ("agentId".equals(field)) {
            return new TermQuery(new Term(AGENT, String.valueOf(value)));
        }
        if (value instanceof Number n) {
            return DoublePoint.newExactQuery(META_NUMBER + key(field), n.doubleValue());
        }
        return new TermQuery(new Term(META + key(field), String.valueOf(value)));
    }

    private static String key(String field) {
        return field.startsWith("metadata.") ? field.substring("metadata.".length()) : field;
    }

    private static Query not(Query q) {
        return new BooleanQuery.Builder().add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER)
                .add(q, BooleanClause.Occur.MUST_NOT).build();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?");
    }

    // ---- state ------------------------------------------------------------------------------------------

    @Override
    public IndexInfo info() {
        try {
            IndexSearcher s = acquire();
            try {
                return new IndexInfo(model, dimension, s.getIndexReader().numDocs(), appliedSeq);
            } finally {
                searchers.release(s);
            }
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "index info failed", e);
        }
    }

    /** Drops every document (a rebuild from the records follows). */
    public void clear() {
        try {
            writer.deleteAll();
            stale.set(true);
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "index clear failed", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            searchers.close();
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For tests: every id in the index. */
    Map<String, Integer> ids() throws IOException {
        Map<String, Integer> out = new HashMap<>();
        IndexSearcher s = acquire();
        try {
            for (ScoreDoc sd : s.search(new MatchAllDocsQuery(), Integer.MAX_VALUE).scoreDocs) {
                out.put(s.storedFields().document(sd.doc).get(ID), sd.doc);
            }
        } finally {
            searchers.release(s);
        }
        return out;
    }
}
