package io.memroos.gateway.policy;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * One question for governance (docs/internal-contract.md, "Governance"): may this actor do this action on
 * this asset? {@code changesPolicy} marks requests that, once they succeed, make cached decisions stale.
 *
 * @param actorType {@code operator} or {@code agent}
 * @param actorId   {@code operator} or the agent id
 * @param action    e.g. {@code agent.create}
 * @param assetType e.g. {@code agent}
 * @param assetId   the asset's id ({@code new} for one that does not exist yet, {@code all} for a collection)
 * @param owner     the agent that owns the asset, or null
 */
public record PolicyQuery(String actorType, String actorId, String action, String assetType, String assetId,
                          String owner, boolean changesPolicy) {

    public PolicyQuery {
        Objects.requireNonNull(actorType, "actorType");
        Objects.requireNonNull(actorId, "actorId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(assetType, "assetType");
        Objects.requireNonNull(assetId, "assetId");
    }

    /** What a cached decision is keyed by. */
    String cacheKey() {
        return actorType + '\u0000' + actorId + '\u0000' + action + '\u0000' + assetType + '\u0000' + assetId
                + '\u0000' + (owner == null ? "" : owner);
    }

    /** The body of {@code POST /internal/decisions}. */
    JsonObject toJson(String requestId) {
        JsonObject asset = new JsonObject().put("type", assetType).put("id", assetId);
        if (owner != null) {
            asset.put("owner", owner);
        }
        JsonObject context = new JsonObject().put("via", "kernel-gateway");
        if (requestId != null) {
            context.put("requestId", requestId);
        }
        return new JsonObject()
                .put("actor", new JsonObject().put("type", actorType).put("id", actorId))
                .put("action", action)
                .put("asset", asset)
                .put("context", context);
    }
}
