package io.memroos.bus.domain;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * In-process wake-ups: a receiver waiting on an empty inbox registers first, then looks; a send (or a
 * message becoming visible again) wakes every registered waiter of that inbox. Nobody sleeps-and-polls.
 */
public final class InboxSignals {

    /**
     * A long poll waiting on an empty inbox. A send may hand it what it claimed ({@link #takePoller}); any other
     * wake completes it with null (look again).
     */
    public static final class Poller {
        final int max;
        final CompletableFuture<List<Delivery>> result = new CompletableFuture<>();

        Poller(int max) {
            this.max = max;
        }
    }

    private final ConcurrentHashMap<String, Set<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentLinkedQueue<Poller>> pollers = new ConcurrentHashMap<>();
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

    Poller registerPoller(String agentId, int max) {
        Poller p = new Poller(max);
        pollers.computeIfAbsent(agentId, k -> new ConcurrentLinkedQueue<>()).add(p);
        return p;
    }

    /** True when the poller was still waiting (nobody took it). */
    boolean unregisterPoller(String agentId, Poller p) {
        ConcurrentLinkedQueue<Poller> q = pollers.get(agentId);
        return q != null && q.remove(p);
    }

    /** Takes one waiting poller of the inbox (to hand it a delivery), or null. */
    Poller takePoller(String agentId) {
        ConcurrentLinkedQueue<Poller> q = pollers.get(agentId);
        return q == null ? null : q.poll();
    }

    public void wake(String agentId) {
        ConcurrentLinkedQueue<Poller> q = pollers.get(agentId);
        if (q != null) {
            for (Poller p; (p = q.poll()) != null; ) {
                p.result.complete(null);
            }
        }
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
