package io.memroos.governance.domain;

import java.util.List;

/** The answer to a {@link DecisionRequest}. */
public record DecisionResult(String decision, List<String> policies, String decisionId, long policyVersion,
                             String label, boolean cached, List<String> errors) {
}
