package io.memroos.bus.store;

import io.memroos.contract.outbox.OutboxStore;

/** A store whose outbox table the governance relay reads (docs/outbox.md). */
public interface OutboxAware {

    /** The outbox table, for the relay. */
    OutboxStore outbox();

    /** Called after every commit that appended outbox events (the relay's {@code wake}). */
    void onOutboxAppend(Runnable afterCommit);
}
