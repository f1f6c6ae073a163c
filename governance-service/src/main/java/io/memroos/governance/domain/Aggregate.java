package io.memroos.governance.domain;

import java.util.Map;

/** One group of an aggregate: its keys ({@code day}, {@code agent}, ...) and sums. */
public record Aggregate(Map<String, String> group, long count, long inputTokens, long outputTokens, double cost,
                       double avgLatencyMs, long errors) {
}
