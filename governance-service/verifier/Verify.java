// MemRoOS evidence bundle verifier: one self-contained Java 17 source file, no dependencies.
//
//   java Verify.java BUNDLE.json PUBLIC_KEY.pem
//
// Checks, with nothing but the audit public key (X.509 PEM, Ed25519):
//   1. the manifest's Ed25519 signature;
//   2. each part (events, receipts, decisions, checkpoints, proofs) against the manifest's count and SHA-256;
//   3. each event's hash: SHA-256 of the canonical JSON of the event without its "hash" field;
//   4. each checkpoint's Ed25519 signature over {fromSeq, hash, keyId, merkleRoot, seq, time};
//   5. each event's Merkle inclusion proof up to the merkleRoot of a signed checkpoint covering its seq;
//   6. chain links between consecutive events (prevHash) and checkpoint heads present in the bundle;
//   7. each receipt and decision against the data of the audit event that carries it.
// Prints one line per failed check and a summary; exit 0 when the bundle verifies, 1 when it does not, 2 on
// a usage or input error. The canonical JSON form is described in docs/governance.md.

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

public class Verify {

    static final String FORMAT = "memroos-evidence/1";
    static final String[] PARTS = {"events", "receipts", "decisions", "checkpoints", "proofs"};
    static final List<String> failures = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java Verify.java BUNDLE.json PUBLIC_KEY.pem");
            System.exit(2);
        }
        Object parsed;
        PublicKey key;
        try {
            parsed = new Parser(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8)).parseDocument();
            key = publicKey(Files.readString(Path.of(args[1]), StandardCharsets.US_ASCII));
        } catch (Exception e) {
            System.err.println("cannot read input: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!(parsed instanceof Map<?, ?>)) {
            System.err.println("the bundle is not a JSON object");
            System.exit(2);
        }
        Map<String, Object> bundle = map(parsed);
        int events = verify(bundle, key);
        if (failures.isEmpty()) {
            System.out.println("OK: evidence bundle verified (" + events + " events, manifest and checkpoint signatures "
                    + "valid, every event proven into a signed checkpoint)");
            System.exit(0);
        }
        for (String f : failures) {
            System.out.println("FAIL: " + f);
        }
        System.out.println("REFUSED: " + failures.size() + " check(s) failed");
        System.exit(1);
    }

    static int verify(Map<String, Object> bundle, PublicKey key) throws Exception {
        Map<String, Object> manifest = map(bundle.get("manifest"));
        if (manifest == null) {
            failures.add("manifest: missing");
            return 0;
        }
        if (!FORMAT.equals(manifest.get("format"))) {
            failures.add("manifest.format: expected " + FORMAT + ", found " + manifest.get("format"));
        }
        String keyId = sha256Hex(Base64.getEncoder().encodeToString(key.getEncoded())).substring(0, 16);
        if (!keyId.equals(manifest.get("keyId"))) {
            failures.add("manifest.keyId: the bundle was signed by key " + manifest.get("keyId") + ", the given public key is "
                    + keyId);
        }
        if (!(bundle.get("signature") instanceof String sig) || !verifySig(key, canonical(manifest), sig)) {
            failures.add("signature: the manifest signature does not verify with the public key");
        }
        Map<String, Object> counts = map(manifest.get("counts"));
        Map<String, Object> digests = map(manifest.get("digests"));
        for (String part : PARTS) {
            Object value = bundle.get(part);
            if (!(value instanceof List<?> list)) {
                failures.add(part + ": missing");
                continue;
            }
            Object count = counts == null ? null : counts.get(part);
            if (!(count instanceof BigDecimal c) || c.intValue() != list.size()) {
                failures.add(part + ": holds " + list.size() + " items, the manifest says " + count);
            }
            Object digest = digests == null ? null : digests.get(part);
            String actual = sha256Hex(canonical(value));
            if (!actual.equals(digest)) {
                failures.add(part + ": SHA-256 " + actual + " differs from the manifest's " + digest
                        + " (the part was modified)");
            }
        }
        // checkpoints
        Map<Long, Map<String, Object>> checkpoints = new HashMap<>();
        for (Object o : list(bundle.get("checkpoints"))) {
            Map<String, Object> c = map(o);
            long seq = num(c.get("seq"));
            checkpoints.put(seq, c);
            Map<String, Object> payload = new TreeMap<>();
            for (String f : new String[]{"fromSeq", "hash", "keyId", "merkleRoot", "seq", "time"}) {
                payload.put(f, c.get(f));
            }
            if (!(c.get("signature") instanceof String s) || !verifySig(key, canonical(payload), s)) {
                failures.add("checkpoint " + seq + ": signature does not verify");
            }
        }
        // events
        TreeMap<Long, Map<String, Object>> bySeq = new TreeMap<>();
        for (Object o : list(bundle.get("events"))) {
            Map<String, Object> e = map(o);
            long seq = num(e.get("seq"));
            bySeq.put(seq, e);
            Map<String, Object> body = new LinkedHashMap<>(e);
            Object stated = body.remove("hash");
            String computed = sha256Hex(canonical(body));
            if (!computed.equals(stated)) {
                failures.add("event " + seq + " (" + e.get("id") + "): hash mismatch (the event was modified)");
            }
            Map<String, Object> cp = checkpoints.get(seq);
            if (cp != null && !String.valueOf(cp.get("hash")).equals(stated)) {
                failures.add("event " + seq + " (" + e.get("id") + "): differs from the head signed by checkpoint " + seq);
            }
        }
        Map.Entry<Long, Map<String, Object>> prev = null;
        for (Map.Entry<Long, Map<String, Object>> cur : bySeq.entrySet()) {
            if (prev != null && cur.getKey() == prev.getKey() + 1
                    && !String.valueOf(prev.getValue().get("hash")).equals(cur.getValue().get("prevHash"))) {
                failures.add("event " + cur.getKey() + " (" + cur.getValue().get("id") + "): prevHash does not link to event "
                        + prev.getKey());
            }
            prev = cur;
        }
        // proofs
        Map<Long, Boolean> proven = new HashMap<>();
        for (Object o : list(bundle.get("proofs"))) {
            Map<String, Object> p = map(o);
            long seq = num(p.get("seq"));
            Map<String, Object> e = bySeq.get(seq);
            Map<String, Object> cp = checkpoints.get(num(p.get("checkpointSeq")));
            if (e == null || cp == null) {
                failures.add("proof for event " + seq + ": names an event or checkpoint not in the bundle");
                continue;
            }
            if (seq < num(cp.get("fromSeq")) || seq > num(cp.get("seq"))) {
                failures.add("proof for event " + seq + ": checkpoint " + cp.get("seq") + " does not cover it");
                continue;
            }
            String node = fold(String.valueOf(e.get("hash")), list(p.get("path")));
            if (!node.equals(cp.get("merkleRoot"))) {
                failures.add("event " + seq + " (" + e.get("id") + "): its Merkle proof does not lead to the root signed "
                        + "by checkpoint " + cp.get("seq"));
            } else {
                proven.put(seq, true);
            }
        }
        for (Map.Entry<Long, Map<String, Object>> e : bySeq.entrySet()) {
            if (!proven.containsKey(e.getKey())) {
                failures.add("event " + e.getKey() + " (" + e.getValue().get("id") + "): not proven into a signed checkpoint");
            }
        }
        // receipts and decisions
        for (String part : new String[]{"receipts", "decisions"}) {
            int i = 0;
            for (Object o : list(bundle.get(part))) {
                Map<String, Object> r = map(o);
                Map<String, Object> e = bySeq.get(num(r.get("eventSeq")));
                if (e == null) {
                    failures.add(part + "[" + i + "]: its event " + r.get("eventSeq") + " is not in the bundle");
                } else if (!canonical(r.get("record")).equals(canonical(e.get("data")))
                        || !String.valueOf(r.get("eventId")).equals(e.get("id"))
                        || !String.valueOf(r.get("type")).equals(e.get("type"))) {
                    failures.add(part + "[" + i + "]: differs from the audit event " + r.get("eventSeq") + " that carries it");
                }
                i++;
            }
        }
        return bySeq.size();
    }

    // ---- crypto -----------------------------------------------------------------------------------------

    static PublicKey publicKey(String pem) throws Exception {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    static boolean verifySig(PublicKey key, String text, String signature) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(text.getBytes(StandardCharsets.UTF_8));
            return s.verify(Base64.getDecoder().decode(signature));
        } catch (Exception e) {
            return false;
        }
    }

    static String sha256Hex(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Merkle fold: leaf = SHA-256(0x00 || hash), node = SHA-256(0x01 || left || right). */
    static String fold(String hash, List<Object> path) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update((byte) 0);
        md.update(HexFormat.of().parseHex(hash));
        byte[] node = md.digest();
        for (Object o : path) {
            Map<String, Object> step = map(o);
            byte[] other = HexFormat.of().parseHex(String.valueOf(step.get("hash")));
            md.reset();
            md.update((byte) 1);
            if ("L".equals(step.get("side"))) {
                md.update(other);
                md.update(node);
            } else {
                md.update(node);
                md.update(other);
            }
            node = md.digest();
        }
        return HexFormat.of().formatHex(node);
    }

    // ---- canonical JSON ---------------------------------------------------------------------------------

    static String canonical(Object v) {
        StringBuilder out = new StringBuilder();
        write(v, out);
        return out.toString();
    }

    static void write(Object v, StringBuilder out) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Map<?, ?> m) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            m.forEach((k, x) -> sorted.put((String) k, x));
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(e.getKey(), out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (v instanceof List<?> l) {
            out.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(l.get(i), out);
            }
            out.append(']');
        } else if (v instanceof String s) {
            string(s, out);
        } else if (v instanceof BigDecimal d) {
            BigDecimal s = d.stripTrailingZeros();
            out.append(s.scale() <= 0 ? s.toBigIntegerExact().toString() : s.toPlainString());
        } else {
            out.append(v);
        }
    }

    static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    // ---- a small JSON parser -------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> ? (Map<String, Object>) o : null;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof List<?> ? (List<Object>) o : List.of();
    }

    static long num(Object o) {
        return o instanceof BigDecimal d ? d.longValue() : -1;
    }

    static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        Object parseDocument() {
            Object v = value();
            ws();
            if (i != s.length()) {
                throw error("trailing characters");
            }
            return v;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("JSON " + what + " at offset " + i);
        }

        private void ws() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }

        private Object value() {
            ws();
            if (i >= s.length()) {
                throw error("ends early");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{': {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (peek('}')) {
                        i++;
                        return m;
                    }
                    while (true) {
                        ws();
                        if (!peek('"')) {
                            throw error("expects a key");
                        }
                        String k = str();
                        ws();
                        expect(':');
                        if (m.put(k, value()) != null) {
                            throw error("repeats the key " + k);
                        }
                        ws();
                        if (peek(',')) {
                            i++;
                        } else {
                            expect('}');
                            return m;
                        }
                    }
                }
                case '[': {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (peek(']')) {
                        i++;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        ws();
                        if (peek(',')) {
                            i++;
                        } else {
                            expect(']');
                            return l;
                        }
                    }
                }
                case '"':
                    return str();
                case 't':
                    lit("true");
                    return Boolean.TRUE;
                case 'f':
                    lit("false");
                    return Boolean.FALSE;
                case 'n':
                    lit("null");
                    return null;
                default: {
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    if (start == i) {
                        throw error("unexpected character '" + c + "'");
                    }
                    try {
                        return new BigDecimal(s.substring(start, i));
                    } catch (NumberFormatException e) {
                        throw error("bad number");
                    }
                }
            }
        }

        private boolean peek(char c) {
            return i < s.length() && s.charAt(i) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("expects '" + c + "'");
            }
            i++;
        }

        private void lit(String word) {
            if (!s.startsWith(word, i)) {
                throw error("bad literal");
            }
            i += word.length();
        }

        private String str() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw error("has an unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw error("has a bad escape");
                }
            }
        }
    }
}
