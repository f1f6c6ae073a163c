package io.memroos.gateway.policy;

import java.util.List;

/**
 * Governance's answer.
 *
 * @param allowed       whether the action may go ahead
 * @param decisionId    governance's id for the decision (quoted in a 403)
 * @param policies      the policy ids that decided
 * @param policyVersion the policy set version that decided
 * @param cached        whether the gateway answered from its cache
 */
public record Decision(boolean allowed, String decisionId, List<String> policies, long policyVersion, boolean cached) {

    public Decision {
        policies = policies == null ? List.of() : List.copyOf(policies);
    }

    Decision fromCache() {
        return cached ? this : new Decision(allowed, decisionId, policies, policyVersion, true);
    }
}
