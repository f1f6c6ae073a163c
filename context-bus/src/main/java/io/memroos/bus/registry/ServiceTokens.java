package io.memroos.bus.registry;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Set;

/**
 * The bus's own {@code service:context-bus} JWT (docs/internal-contract.md), signed with the internal private
 * key; reused for up to 30 s of its 60 s lifetime. The key is read again when it cannot be used.
 */
public final class ServiceTokens {

    static final String SUBJECT = "service:context-bus";
    private static final long LIFETIME_SECONDS = 60;
    private static final long REUSE_NANOS = 30_000_000_000L;

    private final String keyLocation;
    private PrivateKey key;
    private String token;
    private long mintedAt;

    public ServiceTokens(String keyLocation) {
        this.keyLocation = keyLocation;
    }

    public synchronized String token() {
        long now = System.nanoTime();
        if (token != null && now - mintedAt < REUSE_NANOS) {
            return token;
        }
        if (key == null) {
            try {
                Path file = Path.of(keyLocation);
                key = Files.isRegularFile(file) ? KeyUtils.decodePrivateKey(Files.readString(file))
                        : KeyUtils.readPrivateKey(keyLocation);
            } catch (Exception e) {
                throw new IllegalStateException("cannot read the internal signing key at " + keyLocation, e);
            }
            if (key == null) {
                throw new IllegalStateException("no internal signing key at " + keyLocation);
            }
        }
        Instant iat = Instant.now();
        token = Jwt.issuer("memroos-gateway").audience("memroos-internal").subject(SUBJECT)
                .groups(Set.of("service")).issuedAt(iat).expiresAt(iat.plusSeconds(LIFETIME_SECONDS))
                .jws().algorithm(SignatureAlgorithm.RS256).sign(key);
        mintedAt = now;
        return token;
    }

    synchronized void forget() {
        token = null;
        key = null;
    }
}
