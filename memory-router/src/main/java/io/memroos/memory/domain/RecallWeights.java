package io.memroos.memory.domain;

import java.time.Duration;

/**
 * How recall fuses its signals.
 *
 * @param fusion     {@code weighted} (normalised scores, weighted sum) or {@code rrf} (weighted reciprocal rank)
 * @param vector     weight of vector similarity
 * @param keyword    weight of BM25
 * @param graph      weight of mentions of the query's entities and their graph neighbours
 * @param recency    weight of recency (exponential decay, {@code halfLife})
 * @param neighbours weight of being a neighbouring turn of a strong hit (same session)
 * @param rrfK       the k of reciprocal-rank fusion
 * @param halfLife   recency half-life
 * @param candidates candidates per signal (at least k)
 */
public record RecallWeights(String fusion, double vector, double keyword, double graph, double recency,
                            double neighbours, int rrfK, Duration halfLife, int candidates) {

    public RecallWeights {
        if (!"weighted".equals(fusion) && !"rrf".equals(fusion)) {
            throw MemoryException.invalid("weights.fusion", "must be weighted or rrf");
        }
        for (double w : new double[]{vector, keyword, graph, recency, neighbours}) {
            if (w < 0 || w > 10 || Double.isNaN(w)) {
                throw MemoryException.invalid("weights", "each weight lies in [0, 10]");
            }
        }
        if (rrfK < 1) {
            throw MemoryException.invalid("weights.rrfK", "must be positive");
        }
        if (candidates < 1 || candidates > 1000) {
            throw MemoryException.invalid("weights.candidates", "must be 1 to 1000");
        }
    }

    /** Plain reciprocal-rank fusion, k=60, equal weights (the baseline the tuned fusion must beat). */
    public static RecallWeights plainRrf(RecallWeights base) {
        return new RecallWeights("rrf", 1, 1, 0, 0, 0, 60, base.halfLife(), base.candidates());
    }
}
