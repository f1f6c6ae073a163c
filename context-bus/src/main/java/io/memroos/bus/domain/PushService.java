package io.memroos.bus.domain;

import io.memroos.bus.domain.BusStore.AckRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Webhook push: for an agent with an enabled subscription, the bus claims its messages itself and POSTs
 * each one, signed, to the agent's URL. A 2xx acknowledges it; anything else releases it again after an
 * exponential backoff, until the attempts run out and it is dead-lettered like any other message.
 */
public final class PushService {

    private static final System.Logger LOG = System.getLogger(PushService.class.getName());

    /** Delivers one message to one URL; returns the HTTP status, or throws when the call failed. */
    public interface PushTransport {
        int post(Subscription subscription, Delivery delivery) throws Exception;
    }

    private final BusStore store;
    private final MessageService messages;
    private final Directory directory;
    private final PushTransport transport;
    private final Clock clock;
    private final Duration visibility;
    private final Duration backoffBase;
    private final Duration backoffMax;
    private final Executor executor;
    private final Map<String, Subscription> active = new ConcurrentHashMap<>();
    private final Set<String> draining = ConcurrentHashMap.newKeySet();

    public PushService(BusStore store, MessageService messages, Directory directory, InboxSignals signals,
                       PushTransport transport, Clock clock, Duration timeout, Duration backoffBase, Duration backoffMax,
                       Executor executor) {
        this.store = store;
        this.messages = messages;
        this.directory = directory;
        this.transport = transport;
        this.clock = clock;
        this.visibility = timeout.multipliedBy(2).plusSeconds(5);
        this.backoffBase = backoffBase;
        this.backoffMax = backoffMax;
        this.executor = executor;
        signals.listen(this::poke);
    }

    /** Loads the enabled subscriptions (at start). */
    public void load() {
        active.clear();
        for (Subscription s : store.subscriptions()) {
            if (s.enabled()) {
                active.put(s.agentId(), s);
            }
        }
    }

    public Subscription subscribe(Caller caller, String agentId, String url, String secret, Boolean enabled) {
        String agent = caller.inboxOf(agentId);
        String target = url;
        if (target == null || target.isBlank()) {
            Peer peer = directory.find(agent);
            if (peer == null || !peer.active()) {
                throw BusException.notFound("agent " + agent + " is not registered");
            }
            if (!"rest".equals(peer.endpointKind()) || peer.endpointUrl() == null) {
                throw BusException.invalid("url", "agent " + agent + " has no rest endpoint in the registry; give a url");
            }
            target = peer.endpointUrl();
        }
        checkUrl(target);
        if (secret != null && (secret.length() < 16 || secret.length() > 256)) {
            throw BusException.invalid("secret", "must be 16-256 characters");
        }
        Instant now = clock.instant();
        Subscription old = store.subscription(agent);
        Subscription s = new Subscription(agent, target, secret != null ? secret : old != null ? old.secret() : Ids.secret(),
                enabled == null || enabled, old == null ? now : old.createdAt(), now);
        store.putSubscription(s, caller.actor());
        if (s.enabled()) {
            active.put(agent, s);
            poke(agent);
        } else {
            active.remove(agent);
        }
        return s;
    }

    public Subscription subscription(Caller caller, String agentId) {
        String agent = caller.inboxOf(agentId);
        Subscription s = store.subscription(agent);
        if (s == null) {
            throw BusException.notFound("agent " + agent + " has no push subscription");
        }
        return s;
    }

    public void unsubscribe(Caller caller, String agentId) {
        String agent = caller.inboxOf(agentId);
        active.remove(agent);
        if (!store.deleteSubscription(agent, caller.actor())) {
            throw BusException.notFound("agent " + agent + " has no push subscription");
        }
    }

    /** Every so often: retry what became visible again for every subscribed agent. */
    public void tick() {
        for (String agent : active.keySet()) {
            poke(agent);
        }
    }

    /** Something arrived for the agent: push it if the agent has a subscription. */
    public void poke(String agentId) {
        if (!active.containsKey(agentId) || !draining.add(agentId)) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    drain(agentId);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "push to {0} failed: {1}", agentId, e.getMessage());
                } finally {
                    draining.remove(agentId);
                }
            });
        } catch (RuntimeException rejected) {
            draining.remove(agentId);
        }
    }

    private void drain(String agentId) {
        for (int round = 0; round < 100; round++) {
            Subscription s = active.get(agentId);
            if (s == null) {
                return;
            }
            List<Delivery> batch = messages.claimForPush(agentId, 16, visibility);
            if (batch.isEmpty()) {
                return;
            }
            for (Delivery d : batch) {
                int status;
                try {
                    status = transport.post(s, d);
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.DEBUG, "push of {0} to {1} failed: {2}", d.message().id(), s.url(), e.toString());
                    status = 0;
                }
                if (status >= 200 && status < 300) {
                    store.ack(agentId, List.of(new AckRequest(d.message().id(), d.receipt())), clock.instant(),
                            "service:context-bus");
                } else {
                    store.nack(agentId, d.message().id(), d.receipt(), backoff(d.attempts()), clock.instant(),
                            "service:context-bus");
                }
            }
        }
    }

    /** base * 2^(attempt-1), at most the maximum. */
    Duration backoff(int attempt) {
        int shift = Math.min(20, Math.max(0, attempt - 1));
        Duration d = backoffBase.multipliedBy(1L << shift);
        return d.compareTo(backoffMax) > 0 ? backoffMax : d;
    }

    private static void checkUrl(String url) {
        try {
            URI u = URI.create(url);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw BusException.invalid("url", "must be an absolute http or https URL");
            }
        } catch (IllegalArgumentException e) {
            throw BusException.invalid("url", "must be an absolute http or https URL");
        }
    }
}
