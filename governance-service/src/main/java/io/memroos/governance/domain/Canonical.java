package io.memroos.governance.domain;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The canonical JSON form every hash and signature of governance is computed over (docs/governance.md):
 * object keys sorted by UTF-16 code units, no whitespace, strings with only {@code "}, {@code \} and control
 * characters escaped (short forms for \b \f \n \r \t, {@code \\u00XX} (backslash-u) lowercase hex otherwise), everything else
 * as raw UTF-8; {@code true}/{@code false}/{@code null}; numbers in plain decimal without exponent and without
 * trailing fraction zeros ({@code 1.50 -> 1.5}, {@code 1e3 -> 1000}, {@code 2.0 -> 2}). The verifier
 * (verifier/Verify.java) implements the same rules.
 */
public final class Canonical {

    private static final HexFormat HEX = HexFormat.of();

    private Canonical() {
    }

    public static String of(JsonNode node) {
        StringBuilder out = new StringBuilder(128);
        write(node, out);
        return out.toString();
    }

    public static void write(JsonNode node, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                keys.add(it.next());
            }
            Collections.sort(keys);
            out.append('{');
            boolean first = true;
            for (String k : keys) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(k, out);
                out.append(':');
                write(node.get(k), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isTextual()) {
            string(node.textValue(), out);
        } else if (node.isBoolean()) {
            out.append(node.booleanValue());
        } else if (node.isIntegralNumber()) {
            out.append(node.bigIntegerValue().toString());
        } else if (node.isNumber()) {
            out.append(number(node.decimalValue()));
        } else {
            string(node.asText(), out);
        }
    }

    /** The canonical text of a number. */
    public static String number(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        if (s.scale() <= 0) {
            BigInteger i = s.toBigIntegerExact();
            return i.toString();
        }
        return s.toPlainString();
    }

    /** Writes a JSON string literal. */
    public static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0, n = s.length(); i < n; i++) {
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
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Writes {@code ,"key":"value"} (or without the comma when first), skipping a null value. */
    static boolean field(StringBuilder out, boolean first, String key, String value) {
        if (value == null) {
            return first;
        }
        if (!first) {
            out.append(',');
        }
        string(key, out);
        out.append(':');
        string(value, out);
        return false;
    }

    static boolean rawField(StringBuilder out, boolean first, String key, String raw) {
        if (raw == null) {
            return first;
        }
        if (!first) {
            out.append(',');
        }
        string(key, out);
        out.append(':').append(raw);
        return false;
    }

    /** A canonical object of string values, keys sorted. */
    public static String stringMap(Map<String, String> map) {
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (String k : new java.util.TreeMap<>(map).keySet()) {
            first = field(out, first, k, map.get(k));
        }
        return out.append('}').toString();
    }

    public static String sha256Hex(String text) {
        return HEX.formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    public static byte[] sha256(byte[] bytes) {
        return digest().digest(bytes);
    }

    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    public static byte[] unhex(String hex) {
        return HEX.parseHex(hex);
    }
}
