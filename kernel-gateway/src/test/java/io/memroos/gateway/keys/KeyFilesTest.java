package io.memroos.gateway.keys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyFilesTest {

    @TempDir
    Path dir;

    @Test
    void createsThePairWithTheContractModesThenReadsTheSamePairBack() throws Exception {
        KeyFiles.RsaKeys first = KeyFiles.ensure(dir);
        assertTrue(first.created());
        Path priv = dir.resolve("keys/internal-jwt.key.pem");
        Path pub = dir.resolve("keys/internal-jwt.pub.pem");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(pub)));
        assertTrue(Files.readString(priv).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertTrue(Files.readString(pub).startsWith("-----BEGIN PUBLIC KEY-----\n"));
        assertEquals(2048, first.publicKey().getModulus().bitLength());

        KeyFiles.RsaKeys again = KeyFiles.ensure(dir);
        assertFalse(again.created());
        assertEquals(first.publicKey(), again.publicKey());
        assertEquals(first.privateKey(), again.privateKey());
    }

    @Test
    void operatorKeyComesFromConfigElseFromAFileItCreatesOnce() throws Exception {
        OperatorKeys.Resolved configured = OperatorKeys.resolve(Optional.of(" mro_fromenv "), dir);
        assertEquals("mro_fromenv", configured.key());
        assertFalse(Files.exists(dir.resolve("operator.key")));

        OperatorKeys.Resolved created = OperatorKeys.resolve(Optional.of(""), dir);
        assertTrue(created.key().matches("mro_[A-Za-z0-9_-]{43}"), created.key());
        Path file = dir.resolve("operator.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(created.toString().contains(created.key()), "toString never shows the key");

        assertEquals(created.key(), OperatorKeys.resolve(Optional.empty(), dir).key());
    }
}
