package io.memroos.memory.store;

import java.time.Instant;

/**
 * One line of the inventory: a scope (agent, user or null), a kind ({@code fact}, {@code fact.invalidated},
 * {@code episode}, {@code entity}, {@code relation}), how many, their text size in bytes, oldest and newest.
 */
public record InventoryRow(String agentId, String userId, String kind, long count, long bytes, Instant oldest,
                           Instant newest) {
}
