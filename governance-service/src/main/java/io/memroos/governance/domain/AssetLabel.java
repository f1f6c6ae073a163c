package io.memroos.governance.domain;

import java.util.List;

/**
 * The classification of one asset: the label set on it ({@code explicitLabel}, may be null), the assets it
 * derives from, and the effective label (the highest of the explicit one and every source's effective one).
 */
public record AssetLabel(String type, String id, String explicitLabel, List<AssetRef> derivedFrom, String label,
                         String updatedAt, String updatedBy) {

    /** An asset named by type and id. */
    public record AssetRef(String type, String id) {
    }
}
