package io.memroos.bus.domain;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * In-process wake-ups: a receiver waiting on an empty inbox registers first, then looks; a send (or a
 * message becoming visible again) wakes every registered waiter of that inbox. Nobody sleeps-and-polls.
 */
public final class InboxSignals {

    private final ConcurrentHashMap<String, Set<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /** A future completed at the next wake of the inbox; register before looking, so no wake is missed. */
    public CompletableFuture<Void> register(String agentId) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiters.computeIfAbsent(agentId, k -> ConcurrentHashMap.newKeySet()).add(f);
        return f;
    }

    public void unregister(String agentId, CompletableFuture<Void> f) {
        Set<CompletableFuture<Void>> set = waiters.get(agentId);
        if (set != null) {
            set.remove(f);
        }
    }

    public void wake(String agentId) {
        Set<CompletableFuture<Void>> set = waiters.get(agentId);
        if (set != null) {
            for (CompletableFuture<Void> f : set) {
                if (set.remove(f)) {
                    f.complete(null);
                }
            }
        }
        for (Consumer<String> l : listeners) {
            l.accept(agentId);
        }
    }

    /** Called on every wake, with the inbox's agent id (the webhook pusher listens). */
    public void listen(Consumer<String> listener) {
        listeners.add(listener);
    }
}
