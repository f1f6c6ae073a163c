package io.memroos.memory.api;

import io.memroos.memory.domain.AddCommand;
import io.memroos.memory.domain.MemoryException;
import io.memroos.memory.domain.Recall;
import io.memroos.memory.store.Entity;
import io.memroos.memory.store.Episode;
import io.memroos.memory.store.Fact;
import io.memroos.memory.store.FactVersion;
import io.memroos.memory.store.Job;
import io.memroos.memory.store.Relation;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the API (the consumer-facing view; domain records stay inside). */
final class Json {

    private Json() {
    }

    static <T> T required(T body) {
        if (body == null) {
            throw MemoryException.invalid("body", "a JSON body is required");
        }
        return body;
    }

    @RegisterForReflection
    record MessageBody(String role, String content) {
    }

    @RegisterForReflection
    record AddBody(String agentId, String userId, String sessionId, String text, List<MessageBody> messages,
                   Map<String, Object> metadata, Instant at, Boolean async) {
        AddCommand command() {
            return new AddCommand(agentId, userId, sessionId, text, messages == null ? null
                    : messages.stream().map(m -> m == null ? null : new AddCommand.Message(m.role(), m.content())).toList(),
                    metadata, at, Boolean.TRUE.equals(async));
        }
    }

    @RegisterForReflection
    record UpdateBody(String text, Map<String, Object> metadata, String reason) {
    }

    @RegisterForReflection
    record EpisodesBody(String agentId, String userId, String sessionId, List<MessageBody> messages,
                        Map<String, Object> metadata, Instant at) {
    }

    @RegisterForReflection
    record EntityBody(String agentId, String userId, String name, String type, Map<String, Object> properties) {
    }

    @RegisterForReflection
    record RelationBody(String agentId, String userId, String fromId, String from, String type, String toId, String to,
                        Instant validFrom, Instant validTo, Map<String, Object> properties) {
    }

    @RegisterForReflection
    record WeightsBody(String fusion, Double vector, Double keyword, Double graph, Double recency, Double neighbours,
                       Integer rrfK, Integer candidates) {
    }

    @RegisterForReflection
    record RecallBody(String agentId, String userId, String sessionId, String query, Integer k,
                      Map<String, Object> filter, Boolean explain, String mode, String purpose) {
    }

    @RegisterForReflection
    record ProactiveBody(String agentId, String userId, String sessionId, String context, Map<String, Object> filter,
                         Boolean explain) {
    }

    @RegisterForReflection
    record EvalBody(String set, String jsonl, WeightsBody weights) {
    }

    // ---- answers ----------------------------------------------------------------------------------------

    @RegisterForReflection
    record MemoryJson(String id, String agentId, String userId, String sessionId, String text,
                      Map<String, Object> metadata, int version, String status, Instant createdAt, Instant updatedAt,
                      Instant invalidatedAt) {
    }

    static MemoryJson memory(Fact f) {
        return new MemoryJson(f.id(), f.scope().agentId(), f.scope().userId(), f.scope().sessionId(), f.text(),
                f.metadata(), f.version(), f.active() ? "active" : "invalidated", f.createdAt(), f.updatedAt(),
                f.invalidatedAt());
    }

    @RegisterForReflection
    record PageJson<T>(List<T> items, String nextCursor) {
    }

    @RegisterForReflection
    record VersionJson(int version, String change, String text, Map<String, Object> metadata, String actor,
                       String reason, Instant at, Instant validTo) {
    }

    static VersionJson version(FactVersion v) {
        return new VersionJson(v.version(), v.change(), v.text(), v.metadata(), v.actor(), v.reason(), v.at(),
                v.validTo());
    }

    @RegisterForReflection
    record HistoryJson(String id, List<VersionJson> history) {
    }

    @RegisterForReflection
    record JobJson(String id, String status, int items, List<String> ids, String error, Instant createdAt,
                   Instant finishedAt) {
    }

    static JobJson job(Job j) {
        return new JobJson(j.id(), j.status(), j.items(), j.ids(), j.error(), j.createdAt(), j.finishedAt());
    }

    @RegisterForReflection
    record EpisodeJson(String id, String agentId, String userId, String sessionId, long seq, String role,
                       String content, Map<String, Object> metadata, Instant at, String memoryId) {
    }

    static EpisodeJson episode(Episode e) {
        return new EpisodeJson(e.id(), e.scope().agentId(), e.scope().userId(), e.scope().sessionId(), e.seq(),
                e.role(), e.content(), e.metadata(), e.at(), e.factId());
    }

    @RegisterForReflection
    record EntityJson(String id, String agentId, String userId, String name, String type,
                      Map<String, Object> properties, Instant createdAt) {
    }

    static EntityJson entity(Entity e) {
        return new EntityJson(e.id(), e.scope().agentId(), e.scope().userId(), e.name(), e.type(), e.properties(),
                e.createdAt());
    }

    @RegisterForReflection
    record RelationJson(String id, String agentId, String userId, String fromId, String type, String toId,
                        Instant validFrom, Instant validTo, Instant recordedAt, Instant invalidatedAt,
                        Map<String, Object> properties) {
    }

    static RelationJson relation(Relation r) {
        return new RelationJson(r.id(), r.scope().agentId(), r.scope().userId(), r.fromId(), r.type(), r.toId(),
                r.validFrom(), r.validTo(), r.recordedAt(), r.invalidatedAt(), r.properties());
    }

    @RegisterForReflection
    record HitJson(String id, double score, String text, String userId, String sessionId, Map<String, Object> metadata,
                   Instant createdAt, Map<String, Recall.Signal> explain) {
    }

    @RegisterForReflection
    record RecallJson(List<HitJson> results, String mode, String fusion, double tookMs) {
    }

    static RecallJson recall(Recall.Result r) {
        return new RecallJson(r.hits().stream().map(h -> new HitJson(h.fact().id(), round(h.score()), h.fact().text(),
                h.fact().scope().userId(), h.fact().scope().sessionId(), h.fact().metadata(), h.fact().createdAt(),
                h.explain())).toList(), r.mode(), r.fusion(), r.tookMicros() / 1000.0);
    }

    static double round(double v) {
        return Math.round(v * 1_000_000) / 1_000_000.0;
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
