package io.memroos.memory.store;

/**
 * What an index says about itself.
 *
 * @param model     the embedding model id recorded when the index was created
 * @param dimension its dimension
 * @param docs      live documents
 * @param appliedSeq the store change counter the index has applied and made durable
 */
public record IndexInfo(String model, int dimension, long docs, long appliedSeq) {
}
