package io.memroos.gateway.keys;

import io.memroos.gateway.config.GatewayConfig;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/** The gateway's secrets, loaded (and created when missing) once: the JWT key pair and the operator key. */
@Singleton
public class GatewayKeys {

    private final Path dataDir;
    private final KeyFiles.RsaKeys rsa;
    private final OperatorKeys.Resolved operator;
    private final byte[] operatorBytes;

    GatewayKeys(GatewayConfig config) {
        this.dataDir = Path.of(config.dataDir()).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
        }
        this.rsa = KeyFiles.ensure(dataDir);
        this.operator = OperatorKeys.resolve(config.operatorApiKey(), dataDir);
        this.operatorBytes = operator.key().getBytes(StandardCharsets.UTF_8);
    }

    public Path dataDir() {
        return dataDir;
    }

    public KeyFiles.RsaKeys rsa() {
        return rsa;
    }

    /** Where the operator key is kept, for the startup log (never the key). */
    public String operatorKeySource() {
        return operator.source();
    }

    /** Constant-time comparison with the operator key. */
    public boolean isOperatorKey(String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(operatorBytes, candidate.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether both key files are present and readable (for the readiness check). */
    public boolean keyFilesPresent() {
        return Files.isReadable(dataDir.resolve(KeyFiles.PRIVATE_KEY)) && Files.isReadable(dataDir.resolve(KeyFiles.PUBLIC_KEY));
    }
}
