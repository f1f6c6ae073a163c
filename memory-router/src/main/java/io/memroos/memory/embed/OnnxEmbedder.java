package io.memroos.memory.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-process embedding model shipped in a jar (all-MiniLM-L6-v2 quantized to int8, 384 dimensions, ONNX
 * Runtime): no network, no download at run time. The model and tokenizer are read from the langchain4j model jar
 * and run on ONNX Runtime directly: a batch of texts is tokenized at once, its texts are spread over
 * {@code threads} workers (one ONNX Runtime thread each, which beats intra-op parallelism on short texts), each
 * text's token vectors are mean-pooled and L2-normalised, exactly as langchain4j's model class does.
 * <p>
 * The int8 model quantizes activations per run (dynamic quantization), so a text padded into a batch with others
 * would get a slightly different vector depending on its neighbours (cosine ~0.98): this model runs one text per
 * tensor, and a text always gets the same vector. A full-precision model ({@code all-minilm-l6-v2}) runs in padded
 * batches of {@value #SUB_BATCH} (same vectors as one by one). A text longer than the model's 512 positions is
 * embedded in windows of 510 tokens averaged by their lengths. Query vectors are cached (LRU).
 */
public final class OnnxEmbedder implements Embedder, AutoCloseable {

    /** The default model: MiniLM-L6-v2 quantized (int8), about 2.5 times faster than full precision on a CPU. */
    public static final String MODEL_ID = "all-minilm-l6-v2-q";
    public static final int DIMENSION = 384;

    /** Positions the model takes, [CLS] and [SEP] included. */
    static final int MAX_POSITIONS = 512;
    /** Texts per padded tensor: short conversational turns make long tensors of padding not worth it. */
    static final int SUB_BATCH = 32;

    private final String model;
    private final int batch;
    private final ExecutorService workers;
    private final int threads;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean typeIds;
    private final long cls;
    private final long sep;
    private final QueryCache queries;

    /**
     * @param threads texts embedded at once (the cores a batch may use)
     */
    public OnnxEmbedder(int threads, String queryPrefix, int queryCacheSize) {
        this(MODEL_ID, threads, queryPrefix, queryCacheSize);
    }

    /**
     * @param model the model's name in its jar ({@code <model>.onnx}, {@code <model>-tokenizer.json}), recorded
     *              as the model id of every index built with it
     */
    public OnnxEmbedder(String model, int threads, String queryPrefix, int queryCacheSize) {
        this.model = model;
        this.batch = model.endsWith("-q") ? 1 : SUB_BATCH;
        this.threads = Math.max(1, threads);
        try {
            this.env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            this.session = env.createSession(resource("/" + model + ".onnx"), options);
            this.typeIds = session.getInputNames().contains("token_type_ids");
            try (InputStream in = stream("/" + model + "-tokenizer.json")) {
                this.tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false",
                        "truncation", "false", "addSpecialTokens", "true"));
            }
            Encoding empty = tokenizer.encode("");
            long[] ids = empty.getIds();
            if (ids.length != 2) {
                throw new IllegalStateException("the tokenizer of " + model + " does not frame texts as [CLS] .. [SEP]");
            }
            this.cls = ids[0];
            this.sep = ids[1];
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load the embedding model " + model + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the embedding model " + model, e);
        }
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(this.threads, r -> {
            Thread t = new Thread(r, "memory-embed-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.queries = new QueryCache(queryPrefix, queryCacheSize);
    }

    private static InputStream stream(String name) {
        InputStream in = OnnxEmbedder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("the embedding model resource " + name + " is not on the class path");
        }
        return in;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = stream(name)) {
            return in.readAllBytes();
        }
    }

    @Override
    public String modelId() {
        return model;
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
        return embedAll(texts);
    }

    @Override
    public float[] embedQuery(String text) {
        return queries.get(text, t -> embedAll(List.of(t)).get(0));
    }

    /** One window of token ids ([CLS] .. [SEP]) belonging to text {@code text}. */
    private record Window(int text, long[] ids) {
    }

    List<float[]> embedAll(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        List<Window> windows = new ArrayList<>(texts.size());
        for (int t = 0; t < encodings.length; t++) {
            long[] ids = encodings[t].getIds();
            if (ids.length <= MAX_POSITIONS) {
                windows.add(new Window(t, ids));
                continue;
            }
            // longer than the model: windows of 510 tokens, each framed by [CLS] and [SEP]
            int inner = MAX_POSITIONS - 2;
            for (int from = 1; from < ids.length - 1; from += inner) {
                int to = Math.min(ids.length - 1, from + inner);
                long[] w = new long[to - from + 2];
                w[0] = cls;
                System.arraycopy(ids, from, w, 1, to - from);
                w[w.length - 1] = sep;
                windows.add(new Window(t, w));
            }
        }
        windows.sort(Comparator.comparingInt(w -> w.ids().length));
        List<List<Window>> parts = new ArrayList<>();
        for (int from = 0; from < windows.size(); from += batch) {
            parts.add(windows.subList(from, Math.min(windows.size(), from + batch)));
        }
        float[][][] pooled = new float[parts.size()][][];
        if (threads == 1 || parts.size() == 1) {
            for (int p = 0; p < parts.size(); p++) {
                pooled[p] = run(parts.get(p));
            }
        } else {
            // each worker takes every threads-th part; the caller waits (no queue to overflow)
            List<Future<?>> running = new ArrayList<>(threads);
            for (int w = 0; w < threads; w++) {
                int first = w;
                running.add(workers.submit(() -> {
                    for (int p = first; p < parts.size(); p += threads) {
                        pooled[p] = run(parts.get(p));
                    }
                }));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running.forEach(x -> x.cancel(true));
                    throw new IllegalStateException("embedding interrupted", e);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            }
        }
        float[][] sums = new float[texts.size()][];
        int[] weights = new int[texts.size()];
        for (int p = 0; p < parts.size(); p++) {
            List<Window> part = parts.get(p);
            for (int i = 0; i < part.size(); i++) {
                Window w = part.get(i);
                float[] v = pooled[p][i];
                int tokens = w.ids().length - 2;
                if (sums[w.text()] == null) {
                    sums[w.text()] = v;
                    weights[w.text()] = tokens;
                } else {
                    // a long text: its windows averaged by their token counts, as langchain4j does
                    float[] s = sums[w.text()];
                    int before = weights[w.text()];
                    for (int d = 0; d < s.length; d++) {
                        s[d] = (s[d] * before + v[d] * tokens) / (before + tokens);
                    }
                    weights[w.text()] = before + tokens;
                }
            }
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (float[] v : sums) {
            out.add(Vectors.unit(v));
        }
        return out;
    }

    /** One padded tensor through the model: the mean of each row's real token vectors. */
    private float[][] run(List<Window> part) {
        int rows = part.size();
        int len = 0;
        for (Window w : part) {
            len = Math.max(len, w.ids().length);
        }
        long[] ids = new long[rows * len];
        long[] mask = new long[rows * len];
        for (int r = 0; r < rows; r++) {
            long[] x = part.get(r).ids();
            System.arraycopy(x, 0, ids, r * len, x.length);
            Arrays.fill(mask, r * len, r * len + x.length, 1L);
        }
        long[] shape = {rows, len};
        try (OnnxTensor idsT = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
             OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
             OnnxTensor typesT = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[rows * len]), shape)) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", idsT);
            inputs.put("attention_mask", maskT);
            if (typeIds) {
                inputs.put("token_type_ids", typesT);
            }
            try (OrtSession.Result result = session.run(inputs)) {
                FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
                int dim = (int) (hidden.remaining() / ((long) rows * len));
                float[][] pooled = new float[rows][dim];
                for (int r = 0; r < rows; r++) {
                    int n = part.get(r).ids().length;
                    float[] p = pooled[r];
                    int base = r * len * dim;
                    for (int t = 0; t < n; t++) {
                        int off = base + t * dim;
                        for (int d = 0; d < dim; d++) {
                            p[d] += hidden.get(off + d);
                        }
                    }
                    for (int d = 0; d < dim; d++) {
                        p[d] /= n;
                    }
                }
                return pooled;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("embedding failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
        tokenizer.close();
    }
}
