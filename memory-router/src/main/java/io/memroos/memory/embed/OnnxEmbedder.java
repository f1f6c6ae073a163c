package io.memroos.memory.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-process embedding model shipped in a jar (all-MiniLM-L6-v2, 384 dimensions, ONNX Runtime): no network,
 * no download at run time. Documents are embedded in batches on a bounded pool; query vectors are cached (LRU).
 */
public final class OnnxEmbedder implements Embedder, AutoCloseable {

    public static final String MODEL_ID = "all-minilm-l6-v2";
    public static final int DIMENSION = 384;

    private final ExecutorService pool;
    private final EmbeddingModel model;
    private final String queryPrefix;
    private final Map<String, float[]> queryCache;

    public OnnxEmbedder(int threads, String queryPrefix, int queryCacheSize) {
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000),
                r -> {
                    Thread t = new Thread(r, "memory-embed-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        this.model = new AllMiniLmL6V2EmbeddingModel(pool);
        this.queryPrefix = queryPrefix == null ? "" : queryPrefix;
        this.queryCache = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > queryCacheSize;
            }
        };
    }

    @Override
    public String modelId() {
        return MODEL_ID;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String t : texts) {
            segments.add(TextSegment.from(t));
        }
        List<Embedding> out = model.embedAll(segments).content();
        List<float[]> vectors = new ArrayList<>(out.size());
        for (Embedding e : out) {
            vectors.add(e.vector());
        }
        return vectors;
    }

    @Override
    public float[] embedQuery(String text) {
        synchronized (queryCache) {
            float[] hit = queryCache.get(text);
            if (hit != null) {
                return hit;
            }
        }
        float[] v = model.embed(queryPrefix + text).content().vector();
        synchronized (queryCache) {
            queryCache.put(text, v);
        }
        return v;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
