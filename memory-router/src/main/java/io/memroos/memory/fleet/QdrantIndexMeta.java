package io.memroos.memory.fleet;

import io.memroos.memory.store.StoreException;

import java.util.Locale;

/**
 * The identity of a Qdrant memory index: one collection per embedding model and dimension, named
 * {@code <prefix>_<model>_<dimension>}, with the exact model id and dimension also recorded in its meta point.
 * Opening a collection whose vectors have another size, another distance, or whose recorded model or dimension
 * differ is refused with {@link StoreException.Kind#INCOMPATIBLE}, as the Lucene index refuses: vectors of
 * different models are never mixed.
 */
public final class QdrantIndexMeta {

    private QdrantIndexMeta() {
    }

    /** The collection for this model and dimension: lower-case letters, digits, '-' and '_' only. */
    public static String collectionName(String prefix, String model, int dimension) {
        String m = model.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (m.length() > 120) {
            m = m.substring(0, 120);
        }
        return prefix + "_" + (m.isEmpty() ? "model" : m) + "_" + dimension;
    }

    /**
     * What an existing collection says about itself.
     *
     * @param vectorSize     the size of its vectors
     * @param distance       its distance ({@code Cosine} expected)
     * @param recordedModel  the model in its meta point, or null when it has none
     * @param recordedDim    the dimension in its meta point, or null
     */
    public record Found(long vectorSize, String distance, String recordedModel, Long recordedDim) {
    }

    /** Refuses a collection that is not this model's and dimension's memory index. */
    public static void check(String collection, String model, int dimension, Found found) {
        if (found.recordedModel() == null) {
            throw incompatible(collection, "has no MemRoOS index record (it was not created by the memory router)");
        }
        if (found.vectorSize() != dimension || (found.recordedDim() != null && found.recordedDim() != dimension)) {
            throw incompatible(collection, "holds vectors of dimension " + found.vectorSize() + " (recorded "
                    + found.recordedDim() + ", model " + found.recordedModel() + "); this service embeds with "
                    + model + " (dimension " + dimension + ")");
        }
        if (!model.equals(found.recordedModel())) {
            throw incompatible(collection, "was built with embedding model " + found.recordedModel()
                    + "; this service embeds with " + model);
        }
        if (!"Cosine".equalsIgnoreCase(found.distance())) {
            throw incompatible(collection, "uses distance " + found.distance() + "; memory recall needs Cosine");
        }
    }

    private static StoreException incompatible(String collection, String why) {
        return new StoreException(StoreException.Kind.INCOMPATIBLE, null, "the Qdrant collection " + collection + " "
                + why + ". Vectors of different models are never mixed: configure the model it was built with, or "
                + "another collection prefix to rebuild from the records.");
    }
}
