package io.memroos.registry.domain;

/** A key just created: the only place its plaintext ever exists. */
public record IssuedKey(AgentKey key, String plaintext) {
    @Override
    public String toString() {
        return "IssuedKey[" + key.id() + ", " + key.displayPrefix() + "]";
    }
}
