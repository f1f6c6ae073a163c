package io.memroos.a2a.store;

import io.memroos.contract.outbox.OutboxStore;

/** A store that keeps the governance outbox table in its own database (docs/outbox.md). */
public interface OutboxAware {

    /** The outbox table, for the relay. */
    OutboxStore outbox();

    /** Called after every commit that appended audit events (the relay's {@code wake}). */
    void onOutboxAppend(Runnable afterCommit);
}
