package io.memroos.memory.fleet;

import io.memroos.memory.store.Entity;
import io.memroos.memory.store.Scope;
import io.memroos.memory.store.StoreException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The graph rules every fleet graph store shares with the embedded one: the graph scope (agent + user; sessions
 * share what they learn about a user), name normalization, id shapes, validation, and mention matching.
 */
final class GraphKeys {

    /** The deepest neighbourhood walked (a bound on fan-out; recall asks for 1 or 2). */
    static final int MAX_DEPTH = 4;

    private GraphKeys() {
    }

    static Scope graphScope(Scope s) {
        return new Scope(s.agentId(), s.userId(), null);
    }

    static String norm(String name) {
        return name.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    static String newEntityId() {
        return "ent_" + UUID.randomUUID().toString().replace("-", "");
    }

    static String newRelationId() {
        return "rel_" + UUID.randomUUID().toString().replace("-", "");
    }

    static int clampDepth(int depth) {
        return Math.max(0, Math.min(MAX_DEPTH, depth));
    }

    static void checkName(String name) {
        if (name == null || name.isBlank()) {
            throw StoreException.invalid("name", "must not be blank");
        }
        if (name.length() > 200) {
            throw StoreException.invalid("name", "is longer than 200");
        }
    }

    static void checkRelation(String type, Instant validFrom, Instant validTo) {
        if (type == null || type.isBlank()) {
            throw StoreException.invalid("type", "must not be blank");
        }
        if (type.length() > 200) {
            throw StoreException.invalid("type", "is longer than 200");
        }
        if (validFrom != null && validTo != null && !validTo.isAfter(validFrom)) {
            throw StoreException.invalid("validTo", "must be after validFrom");
        }
    }

    /** The entities whose normalized name occurs in {@code text} as whole words, in the given order. */
    static List<Entity> mentioned(List<Entity> candidates, String text, int limit) {
        String hay = " " + text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ") + " ";
        List<Entity> out = new ArrayList<>();
        for (Entity e : candidates) {
            String needle = " " + norm(e.name()).replaceAll("[^\\p{L}\\p{N}]+", " ").strip() + " ";
            if (needle.isBlank() || !hay.contains(needle)) {
                continue;
            }
            out.add(e);
            if (out.size() == limit) {
                break;
            }
        }
        return out;
    }
}
