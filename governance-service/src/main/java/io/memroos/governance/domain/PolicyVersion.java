package io.memroos.governance.domain;

import java.util.Map;

/** One version of the whole policy set: policy id -> Cedar text; who made it, when and why. */
public record PolicyVersion(long version, Map<String, String> policies, String createdAt, String createdBy,
                            String comment) {
}
