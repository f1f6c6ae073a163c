package io.memroos.memory.store;

/** One result of one retrieval signal: the fact id, its rank (1-based) and the signal's raw score. */
public record Hit(String id, int rank, double score) {
}
