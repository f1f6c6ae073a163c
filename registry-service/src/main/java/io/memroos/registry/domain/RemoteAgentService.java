package io.memroos.registry.domain;

import io.memroos.contract.outbox.OutboxEvent;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Ingests A2A agent cards as canonical agents and keeps them fresh by polling. */
public final class RemoteAgentService {

    public static final String WELL_KNOWN = "/.well-known/agent-card.json";
    private static final int MAX_POLL_INTERVAL = 86_400;

    private final AgentStore store;
    private final AgentService agents;
    private final CardSource cards;
    private final LivenessPolicy liveness;
    private final int defaultPollInterval;
    private final int minPollInterval;

    public RemoteAgentService(AgentStore store, AgentService agents, CardSource cards, LivenessPolicy liveness,
                              int defaultPollInterval, int minPollInterval) {
        this.store = Objects.requireNonNull(store, "store");
        this.agents = Objects.requireNonNull(agents, "agents");
        this.cards = Objects.requireNonNull(cards, "cards");
        this.liveness = Objects.requireNonNull(liveness, "liveness");
        this.defaultPollInterval = defaultPollInterval;
        this.minPollInterval = minPollInterval;
    }

    public AgentView ingest(Caller caller, String cardUrl, Integer pollIntervalSeconds) {
        caller.mustBeOperator("ingest agent cards");
        String url = cardUrlOf(cardUrl);
        int interval = interval(pollIntervalSeconds == null ? defaultPollInterval : pollIntervalSeconds);
        store.findActiveRemoteByCardUrl(url).ifPresent(existing -> {
            throw RegistryException.conflict("card " + url + " is already registered as " + existing.agentId());
        });
        CardSource.Fetched fetched = cards.fetch(url, null);
        if (fetched.notModified()) {
            throw RegistryException.invalid("cardUrl", "server answered 304 to an unconditional request");
        }
        AgentCard card = fetched.card();
        agents.requireFreeName(card.name(), null);
        Instant now = agents.now();
        Agent agent = new Agent(Ids.agent(), card.name(), card.description(),
                card.provider() == null ? "remote" : card.provider(), card.capabilities(), card.skills(),
                new Endpoint(EndpointKind.A2A, card.url()), AgentStatus.ACTIVE, Source.CARD, url, null, now, now, now);
        RemoteAgent remote = new RemoteAgent(agent.id(), url, interval, true, fetched.etag(), now, now, 0, null);
        store.insertRemoteAgent(agent, remote, fetched.json(),
                RegistryEvents.agentIngested(caller.actor(), agent, remote, now));
        return agents.view(agent);
    }

    public List<RemoteAgentView> list(Caller caller) {
        caller.mustBeOperator("list remote agents");
        List<RemoteAgentView> out = new ArrayList<>();
        for (RemoteAgent remote : store.listRemotes()) {
            out.add(view(remote));
        }
        return out;
    }

    public RemoteAgentView get(Caller caller, String agentId) {
        caller.mustBeOperator("read remote agents");
        return view(loadRemote(agentId));
    }

    public RemoteAgentView update(Caller caller, String agentId, Integer pollIntervalSeconds, Boolean enabled) {
        caller.mustBeOperator("change remote polling");
        RemoteAgent remote = loadRemote(agentId);
        RemoteAgent changed = remote.withPolling(
                pollIntervalSeconds == null ? remote.pollIntervalSeconds() : interval(pollIntervalSeconds),
                enabled == null ? remote.enabled() : enabled);
        if (changed.equals(remote)) {
            store.updateRemote(changed, null);
        } else {
            store.updateRemote(changed, null, RegistryEvents.remotePollingChanged(caller.actor(), changed, agents.now()));
        }
        return view(changed);
    }

    /** Fetches one card now, whatever its schedule. */
    public RemoteAgentView refresh(Caller caller, String agentId) {
        caller.mustBeOperator("refresh remote agents");
        RemoteAgent remote = loadRemote(agentId);
        if (!agents.load(agentId).active()) {
            throw RegistryException.conflict("agent " + agentId + " is deregistered");
        }
        return view(poll(remote));
    }

    /** Polls every remote agent due at {@code now}; returns how many were polled. */
    public int pollDue(Instant now) {
        List<RemoteAgent> due = store.dueRemotes(now);
        for (RemoteAgent remote : due) {
            poll(remote);
        }
        return due.size();
    }

    RemoteAgent poll(RemoteAgent remote) {
        Instant now = agents.now();
        RemoteAgent next;
        String json = null;
        List<OutboxEvent> events = new ArrayList<>(2);
        try {
            CardSource.Fetched fetched = cards.fetch(remote.cardUrl(), remote.etag());
            Agent agent = agents.load(remote.agentId());
            Agent updated;
            if (fetched.notModified()) {
                updated = agent.seen(now);
                next = remote.succeeded(now, remote.etag());
            } else {
                AgentCard card = fetched.card();
                if (!card.name().equals(agent.name())) {
                    agents.requireFreeName(card.name(), agent.id());
                }
                updated = agent.with(card.name(), card.description(), agent.owner(), card.capabilities(),
                        card.skills(), new Endpoint(EndpointKind.A2A, card.url()), now).seen(now);
                next = remote.succeeded(now, fetched.etag());
                json = fetched.json();
            }
            if (!RegistryEvents.changed(agent, updated).isEmpty()) {
                store.updateAgent(updated, RegistryEvents.cardChanged(agent, updated, now));
            } else {
                store.updateAgent(updated);
            }
            if (remote.consecutiveFailures() > 0) {
                events.add(RegistryEvents.remoteReachable(next, remote.consecutiveFailures(), now));
            }
        } catch (RegistryException e) {
            next = remote.failed(now, e.detail());
            if (remote.consecutiveFailures() == 0) {
                events.add(RegistryEvents.remoteUnreachable(next, now));
            }
        }
        store.updateRemote(next, json, events.toArray(OutboxEvent[]::new));
        return next;
    }

    private RemoteAgentView view(RemoteAgent remote) {
        Agent agent = agents.load(remote.agentId());
        return new RemoteAgentView(remote, agent.name(),
                liveness.of(agent.lastSeenAt(), remote.consecutiveFailures(), agents.now()));
    }

    private RemoteAgent loadRemote(String agentId) {
        return store.findRemote(agentId).orElseThrow(() -> RegistryException.notFound("no remote agent " + agentId));
    }

    private int interval(int seconds) {
        if (seconds < minPollInterval || seconds > MAX_POLL_INTERVAL) {
            throw RegistryException.invalid("pollIntervalSeconds",
                    "must be between " + minPollInterval + " and " + MAX_POLL_INTERVAL);
        }
        return seconds;
    }

    /** The card URL to fetch: a base URL gets {@value #WELL_KNOWN} appended. */
    public static String cardUrlOf(String cardUrl) {
        String url = Checks.httpUrl("cardUrl", cardUrl);
        try {
            URI uri = new URI(url);
            String path = uri.getPath() == null ? "" : uri.getPath();
            if (path.endsWith(WELL_KNOWN)) {
                return uri.toString();
            }
            String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            return new URI(uri.getScheme(), uri.getUserInfo(), uri.getHost(), uri.getPort(), base + WELL_KNOWN,
                    uri.getQuery(), null).toString();
        } catch (URISyntaxException e) {
            throw RegistryException.invalid("cardUrl", "is not a valid URL");
        }
    }
}
