package io.memroos.registry.store;

import io.memroos.contract.outbox.OutboxStore;

/** A store that keeps the governance outbox next to its tables (both registry stores do). */
public interface OutboxAware {

    /** The outbox table, for the relay. */
    OutboxStore outbox();

    /** Called after a transaction that appended events commits. */
    void onOutboxAppend(Runnable listener);
}
