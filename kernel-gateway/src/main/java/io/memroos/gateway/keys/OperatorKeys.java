package io.memroos.gateway.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/** Where the operator key comes from: the environment, else {@code <data-dir>/operator.key}. */
public final class OperatorKeys {

    public static final String FILE = "operator.key";
    public static final String PREFIX = "mro_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private OperatorKeys() {
    }

    /** The operator key and where it is kept (for a log line that never shows the key itself). */
    public record Resolved(String key, String source) {
        @Override
        public String toString() {
            return "OperatorKey[source=" + source + "]";
        }
    }

    /** The configured key if non-blank; else the file's content, creating the file (0600) when missing. */
    public static Resolved resolve(Optional<String> configured, Path dataDir) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return new Resolved(configured.get().trim(), "the MEMROOS_OPERATOR_API_KEY environment variable");
        }
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                String key = Files.readString(file, StandardCharsets.US_ASCII).trim();
                if (key.isEmpty()) {
                    throw new IllegalStateException(file + " is empty; delete it to get a new operator key");
                }
                return new Resolved(key, file.toAbsolutePath().toString());
            }
            Files.createDirectories(dataDir);
            String key = generate();
            KeyFiles.writeAtomically(file, key + "\n", KeyFiles.OWNER_ONLY);
            return new Resolved(key, file.toAbsolutePath() + " (created now)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the operator key file " + file, e);
        }
    }

    /** A fresh key: {@code mro_} + 32 random bytes, base64url without padding. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
