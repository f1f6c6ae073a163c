package io.memroos.memory.embed;

import java.util.List;

/** Turns texts into vectors. Documents and queries may be embedded differently (BGE's query instruction). */
public interface Embedder {

    /** The model id recorded with every index built from it. */
    String modelId();

    int dimension();

    /** One vector per text, in order. */
    List<float[]> embedDocuments(List<String> texts);

    float[] embedQuery(String text);
}
