package io.memroos.memory.config;

import io.memroos.memory.domain.MemoryIndexer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the records answer and the index is open; reports index documents against active records. */
@Readiness
@ApplicationScoped
public class IndexHealthCheck implements HealthCheck {

    private final MemoryIndexer indexer;

    IndexHealthCheck(MemoryIndexer indexer) {
        this.indexer = indexer;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            MemoryIndexer.Health h = indexer.health();
            return HealthCheckResponse.named("memory-index").up().withData("model", h.model())
                    .withData("dimension", h.dimension()).withData("indexDocs", h.indexDocs())
                    .withData("activeRecords", h.activeRecords()).withData("inSync", h.inSync()).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("memory-index").down().withData("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
