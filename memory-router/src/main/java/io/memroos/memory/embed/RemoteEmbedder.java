package io.memroos.memory.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.memroos.memory.store.StoreException;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Embeddings from a remote endpoint (an OpenAI-compatible {@code /embeddings} or Ollama {@code /api/embed}, through
 * langchain4j). The model id is {@code provider:model} and the dimension is configured, so the index records them
 * and refuses an index built with anything else; every vector the endpoint returns is checked against that
 * dimension and a different one is refused ({@link StoreException.Kind#INCOMPATIBLE}), never stored. An endpoint
 * that fails is {@link StoreException.Kind#UNAVAILABLE}. Query vectors are cached (LRU).
 */
public final class RemoteEmbedder implements Embedder {

    private static final Logger LOG = Logger.getLogger(RemoteEmbedder.class);

    private final EmbeddingModel model;
    private final String modelId;
    private final int dimension;
    private final QueryCache queries;
    private final AtomicBoolean checked = new AtomicBoolean();

    /**
     * @param provider  {@code openai} or {@code ollama}, part of the model id
     * @param modelName the endpoint's model name
     * @param dimension the dimension its vectors must have
     */
    public RemoteEmbedder(EmbeddingModel model, String provider, String modelName, int dimension, String queryPrefix,
                          int queryCacheSize) {
        if (dimension < 1 || dimension > 16_384) {
            throw new IllegalArgumentException("the embedding dimension must be 1..16384, not " + dimension);
        }
        this.model = model;
        this.modelId = provider + ":" + modelName;
        this.dimension = dimension;
        this.queries = new QueryCache(queryPrefix, queryCacheSize);
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public int dimension() {
        return dimension;
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
        List<Embedding> out = call(() -> model.embedAll(segments).content());
        if (out == null || out.size() != texts.size()) {
            throw new StoreException(StoreException.Kind.UNAVAILABLE, null, "embedding endpoint " + modelId
                    + " answered " + (out == null ? 0 : out.size()) + " vectors for " + texts.size() + " texts");
        }
        List<float[]> vectors = new ArrayList<>(out.size());
        for (Embedding e : out) {
            vectors.add(checked(e));
        }
        return vectors;
    }

    @Override
    public float[] embedQuery(String text) {
        return queries.get(text, t -> checked(call(() -> model.embed(t).content())));
    }

    private float[] checked(Embedding e) {
        float[] v = e == null ? null : e.vector();
        if (v == null || v.length != dimension) {
            throw new StoreException(StoreException.Kind.INCOMPATIBLE, null, "embedding endpoint " + modelId
                    + " returned a vector of dimension " + (v == null ? 0 : v.length) + "; "
                    + "memroos.memory.embedding.dimension is " + dimension + " and the index holds vectors of that "
                    + "dimension only: set memroos.memory.embedding.dimension to the dimension this model produces.");
        }
        if (checked.compareAndSet(false, true)) {
            LOG.infof("embedding endpoint %s answers vectors of dimension %d, as configured", modelId, dimension);
        }
        return v;
    }

    private <T> T call(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            // the message names the endpoint's failure (status, timeout), never the request's headers
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "embedding endpoint " + modelId + " failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }
}
