package io.memroos.registry.config;

import io.memroos.registry.domain.AgentStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/** Opens (and migrates) the store at startup, so a broken store fails the start, not the first call. */
@Singleton
class RegistryStartup {

    void onStart(@Observes StartupEvent event, AgentStore store) {
        store.ping();
    }
}
