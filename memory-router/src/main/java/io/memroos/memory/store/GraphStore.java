package io.memroos.memory.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Entities and time-bounded relations, each keyed by scope. A relation between entities of different scopes is
 * refused; invalidation is soft.
 */
public interface GraphStore extends AutoCloseable {

    /** The entity with this name in this scope (agent + user), created when missing; type/properties updated. */
    Entity upsertEntity(Scope scope, String name, String type, Map<String, Object> properties, Instant at);

    Optional<Entity> entity(String id);

    /** Entities of the scope whose name occurs in {@code text} (case-insensitive, whole words). */
    List<Entity> entitiesIn(Scope scope, String text, int limit);

    /** Entities of the scope, by name prefix (null = all), name order. */
    List<Entity> entities(Scope scope, String namePrefix, int limit);

    /**
     * Adds a relation; both entities must exist and belong to {@code scope}'s agent and user, else
     * {@link StoreException.Kind#INVALID} naming {@code fromId}/{@code toId}.
     */
    Relation addRelation(Scope scope, String fromId, String type, String toId, Instant validFrom, Instant validTo,
                         Map<String, Object> properties, Instant recordedAt);

    Optional<Relation> relation(String id);

    /** Ends a relation: sets invalidatedAt (and validTo when open). Kept for history. */
    Relation invalidateRelation(String id, Instant at);

    /** Relations touching these entities; {@code asOf} null = every one (also invalidated), else those holding then. */
    List<Relation> relations(Scope scope, Collection<String> entityIds, Instant asOf);

    /**
     * The neighbourhood up to {@code depth} hops of relations holding at {@code asOf}: the entities reached
     * (the starts included) and the relations walked.
     */
    Neighbourhood neighbourhood(Scope scope, Collection<String> entityIds, int depth, Instant asOf);

    /** Entity and relation counts per scope (agent, user), oldest/newest. */
    List<InventoryRow> inventory(String agentId);

    /** Destroys every entity and relation of an agent (throwaway evaluation scopes only). */
    long purgeAgent(String agentId);

    record Neighbourhood(List<Entity> entities, List<Relation> relations) {
        public Neighbourhood {
            entities = List.copyOf(entities);
            relations = List.copyOf(relations);
        }
    }

    @Override
    void close();
}
