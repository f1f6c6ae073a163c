package io.memroos.gateway.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

/**
 * The internal JWT key pair on disk, as docs/internal-contract.md fixes it:
 * {@code keys/internal-jwt.key.pem} (RSA 2048, PKCS#8 PEM, 0600) and
 * {@code keys/internal-jwt.pub.pem} (X.509 SubjectPublicKeyInfo PEM, 0644).
 */
public final class KeyFiles {

    public static final String PRIVATE_KEY = "keys/internal-jwt.key.pem";
    public static final String PUBLIC_KEY = "keys/internal-jwt.pub.pem";

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private KeyFiles() {
    }

    /** The key pair in the data directory, created first when either file is missing. */
    public static RsaKeys ensure(Path dataDir) {
        Path priv = dataDir.resolve(PRIVATE_KEY);
        Path pub = dataDir.resolve(PUBLIC_KEY);
        try {
            Files.createDirectories(priv.getParent());
            if (!Files.exists(priv) || !Files.exists(pub)) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                writeAtomically(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), OWNER_ONLY);
                writeAtomically(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()), WORLD_READABLE);
                return new RsaKeys((RSAPrivateKey) pair.getPrivate(), (RSAPublicKey) pair.getPublic(), true);
            }
            return new RsaKeys(readPrivate(priv), readPublic(pub), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the internal JWT keys under " + priv.getParent(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("internal JWT key files under " + priv.getParent() + " are not valid RSA PEM", e);
        }
    }

    /** Writes a file through a temp file so a reader never sees half of it; sets POSIX permissions first. */
    static void writeAtomically(Path target, String content, Set<PosixFilePermission> perms) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (posix()) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        if (posix()) {
            Files.setPosixFilePermissions(tmp, perms);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static RSAPrivateKey readPrivate(Path file) throws IOException, GeneralSecurityException {
        byte[] der = der(Files.readString(file, StandardCharsets.US_ASCII), "PRIVATE KEY");
        return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    private static RSAPublicKey readPublic(Path file) throws IOException, GeneralSecurityException {
        byte[] der = der(Files.readString(file, StandardCharsets.US_ASCII), "PUBLIC KEY");
        return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(String pem, String type) throws GeneralSecurityException {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = pem.indexOf(begin);
        int e = pem.indexOf(end);
        if (b < 0 || e < b) {
            throw new GeneralSecurityException("not a " + type + " PEM");
        }
        String base64 = pem.substring(b + begin.length(), e).replaceAll("\\s", "");
        return Base64.getDecoder().decode(base64);
    }

    /** The loaded pair; {@code created} tells whether this call made it. */
    public record RsaKeys(RSAPrivateKey privateKey, RSAPublicKey publicKey, boolean created) {
    }
}
