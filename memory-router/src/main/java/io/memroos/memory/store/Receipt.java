package io.memroos.memory.store;

import java.util.List;
import java.util.Objects;

/**
 * A memory receipt for governance: who did what to which memories in which scope, and why. Written to the
 * outbox in the same transaction as the change it describes (recalls are written on their own).
 *
 * @param op     {@code write} or {@code recall}
 * @param actor  {@code operator}, {@code agent:<id>} or {@code service:<name>}
 * @param scope  the scope acted on
 * @param ids    the memory ids written or returned (the store fills in created ids for writes)
 * @param reason why (the endpoint, the query's purpose or the pipeline's decision)
 */
public record Receipt(String op, String actor, Scope scope, List<String> ids, String reason) {

    public Receipt {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(scope, "scope");
        ids = ids == null ? List.of() : List.copyOf(ids);
    }

    public Receipt withIds(List<String> newIds) {
        return new Receipt(op, actor, scope, newIds, reason);
    }
}
