package io.memroos.memory.config;

import io.memroos.memory.domain.RecallService;
import jakarta.inject.Singleton;

import java.util.function.Function;

/** The recollection policy per agent: the configured defaults, with per-agent overrides. */
@Singleton
public class ProactivePolicies implements Function<String, RecallService.ProactivePolicy> {

    private final MemoryConfig.Proactive config;

    ProactivePolicies(MemoryConfig config) {
        this.config = config.proactive();
    }

    @Override
    public RecallService.ProactivePolicy apply(String agentId) {
        MemoryConfig.AgentPolicy o = config.agents().get(agentId);
        if (o == null) {
            return new RecallService.ProactivePolicy(config.enabled(), config.limit(), config.minSimilarity());
        }
        return new RecallService.ProactivePolicy(o.enabled().orElse(config.enabled()), o.limit().orElse(config.limit()),
                o.minSimilarity().orElse(config.minSimilarity()));
    }
}
