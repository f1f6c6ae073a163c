package io.memroos.governance.domain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The audit signing key: an Ed25519 pair in {@code keys/audit-ed25519.key.pem} (PKCS#8, mode 0600) and
 * {@code keys/audit-ed25519.pub.pem} (X.509 SubjectPublicKeyInfo), created on first start. Signatures are
 * base64 (standard, padded) over the UTF-8 bytes of a canonical JSON text.
 */
public final class Signer {

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String publicPem;
    private final String keyId;

    private Signer(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.publicPem = pem("PUBLIC KEY", publicKey.getEncoded());
        this.keyId = Canonical.sha256Hex(Base64.getEncoder().encodeToString(publicKey.getEncoded())).substring(0, 16);
    }

    /** Loads the pair from {@code keysDir}, creating it when absent. */
    public static Signer openOrCreate(Path keysDir) {
        Path priv = keysDir.resolve("audit-ed25519.key.pem");
        Path pub = keysDir.resolve("audit-ed25519.pub.pem");
        try {
            if (Files.isRegularFile(priv) && Files.isRegularFile(pub)) {
                KeyFactory kf = KeyFactory.getInstance("Ed25519");
                PrivateKey p = kf.generatePrivate(new PKCS8EncodedKeySpec(unpem(Files.readString(priv))));
                PublicKey q = kf.generatePublic(new X509EncodedKeySpec(unpem(Files.readString(pub))));
                return new Signer(p, q);
            }
            Files.createDirectories(keysDir);
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Path tmp = keysDir.resolve("audit-ed25519.key.pem.tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, priv);
            Files.writeString(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            return new Signer(pair.getPrivate(), pair.getPublic());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit key in " + keysDir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open the audit key in " + keysDir + ": " + e.getMessage(), e);
        }
    }

    public String sign(String canonicalText) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(canonicalText.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign: " + e.getMessage(), e);
        }
    }

    public boolean verify(String canonicalText, String signature) {
        return verify(publicKey, canonicalText, signature);
    }

    public static boolean verify(PublicKey key, String canonicalText, String signature) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(canonicalText.getBytes(StandardCharsets.UTF_8));
            return s.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    public String publicPem() {
        return publicPem;
    }

    /** The first 16 hex characters of SHA-256 over the base64 of the public key's X.509 encoding. */
    public String keyId() {
        return keyId;
    }

    static String pem(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }

    static byte[] unpem(String text) {
        String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }
}
