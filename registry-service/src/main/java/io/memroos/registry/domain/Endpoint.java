package io.memroos.registry.domain;

/** Where an agent listens. */
public record Endpoint(EndpointKind kind, String url) {
    public Endpoint {
        if (kind == null) {
            throw RegistryException.invalid("kind", "must not be blank");
        }
        url = Checks.httpUrl("url", url);
    }
}
