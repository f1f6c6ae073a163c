package io.memroos.governance.domain;

import java.util.Map;

/**
 * What a decision is asked about: the actor ({@code operator|agent|service} and id), the action, the asset
 * (type, id, optional owner agent id and label), the purpose and free context (JSON values).
 */
public record DecisionRequest(String actorType, String actorId, String action, String assetType, String assetId,
                              String owner, String label, String purpose, Map<String, Object> context) {

    /** The actor as audit events name it. */
    public String actor() {
        return switch (actorType) {
            case "operator" -> "operator";
            case "agent" -> "agent:" + actorId;
            default -> "service:" + actorId;
        };
    }
}
