package io.memroos.registry.domain;

/**
 * Fetches and reads A2A agent cards. Refusals (address not allowed, too large, invalid card, timeout) are
 * thrown as {@link RegistryException} invalid on field {@code cardUrl} (or the card field at fault).
 */
public interface CardSource {

    /** The outcome of a conditional fetch: {@code card} is null when the server answered 304. */
    record Fetched(AgentCard card, String etag, String json) {
        public boolean notModified() {
            return card == null;
        }
    }

    Fetched fetch(String cardUrl, String etag);
}
