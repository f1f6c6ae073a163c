package io.memroos.registry.domain;

import io.memroos.contract.outbox.OutboxEvent;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the registry keeps agents, their keys, heartbeats and remote polling state. Every write is durable
 * when the method returns. Implementations throw {@link RegistryException} (conflict) on a duplicate
 * active name or key prefix.
 *
 * <p>Every write takes the governance events that describe it ({@link RegistryEvents}) and appends them to
 * the outbox in the same transaction (docs/outbox.md): they are stored if and only if the write is.
 */
public interface AgentStore {

    void insertAgent(Agent agent, OutboxEvent... events);

    /** Inserts a card-ingested agent and its polling state together. */
    void insertRemoteAgent(Agent agent, RemoteAgent remote, String cardJson, OutboxEvent... events);

    Optional<Agent> findAgent(String id);

    Optional<Agent> findActiveAgentByName(String name);

    /** Writes the agent's fields and status; lastSeenAt only moves forward, lastHeartbeatAt is left alone. */
    void updateAgent(Agent agent, OutboxEvent... events);

    Page<Agent> listAgents(AgentQuery query);

    void insertKey(AgentKey key, OutboxEvent... events);

    Optional<AgentKey> findKey(String agentId, String keyId);

    Optional<AgentKey> findKeyByPrefix(String prefix);

    List<AgentKey> listKeys(String agentId);

    /** Marks a key revoked; returns false (and appends nothing) when it was already revoked. */
    boolean revokeKey(String keyId, Instant at, OutboxEvent... events);

    /** Revokes one key and inserts its replacement atomically. */
    void rotateKey(String oldKeyId, Instant revokedAt, AgentKey replacement, OutboxEvent... events);

    void touchKey(String keyId, Instant usedAt);

    /** Records a heartbeat, moves the agent's lastHeartbeatAt/lastSeenAt, keeps the newest {@code retain}. */
    void recordHeartbeat(Heartbeat heartbeat, int retain);

    /** Newest first. */
    List<Heartbeat> recentHeartbeats(String agentId, int limit);

    Optional<RemoteAgent> findRemote(String agentId);

    /** Polling state of active remote agents with this card URL. */
    Optional<RemoteAgent> findActiveRemoteByCardUrl(String cardUrl);

    /** All remote agents of active agents, ordered by agent id. */
    List<RemoteAgent> listRemotes();

    /** Enabled remote agents of active agents whose next poll is due at {@code now}. */
    List<RemoteAgent> dueRemotes(Instant now);

    /** Writes the polling state, and when {@code cardJson} is not null the last good card. */
    void updateRemote(RemoteAgent remote, String cardJson, OutboxEvent... events);

    /** A cheap round trip that proves the store answers. */
    void ping();
}
