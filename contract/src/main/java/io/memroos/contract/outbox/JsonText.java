package io.memroos.contract.outbox;

/**
 * The little JSON the outbox needs without a JSON library: quoting a string, and checking that a text is
 * one well-formed JSON object (so a bad {@code data} payload is refused when it is appended, not parked
 * later when governance refuses the batch).
 */
public final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    /** {@code s} as a JSON string literal, quotes included; {@code null} becomes {@code null}. */
    public static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(s.length() + 2);
        appendQuoted(out, s);
        return out.toString();
    }

    /** Appends {@code s} as a JSON string literal (RFC 8259: quote, backslash and controls escaped). */
    public static void appendQuoted(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029'
                            || (Character.isSurrogate(c) && !pairedSurrogate(s, i))) {
                        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean pairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** True when {@code text} is exactly one JSON object (whitespace around it allowed). */
    public static boolean isObject(String text) {
        if (text == null) {
            return false;
        }
        Parser p = new Parser(text);
        try {
            p.ws();
            if (p.peek() != '{') {
                return false;
            }
            p.value(0);
            p.ws();
            return p.pos == text.length();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A validating scanner; it builds nothing. */
    private static final class Parser {
        private static final int MAX_DEPTH = 64;
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        void ws() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else {
                    break;
                }
            }
        }

        void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected " + c + " at " + pos);
            }
            pos++;
        }

        void value(int depth) {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("too deep");
            }
            ws();
            char c = peek();
            switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> string();
                case 't' -> literal("true");
                case 'f' -> literal("false");
                case 'n' -> literal("null");
                default -> number();
            }
        }

        void object(int depth) {
            expect('{');
            ws();
            if (peek() == '}') {
                pos++;
                return;
            }
            while (true) {
                ws();
                string();
                ws();
                expect(':');
                value(depth + 1);
                ws();
                if (peek() == ',') {
                    pos++;
                } else {
                    expect('}');
                    return;
                }
            }
        }

        void array(int depth) {
            expect('[');
            ws();
            if (peek() == ']') {
                pos++;
                return;
            }
            while (true) {
                value(depth + 1);
                ws();
                if (peek() == ',') {
                    pos++;
                } else {
                    expect(']');
                    return;
                }
            }
        }

        void string() {
            expect('"');
            while (true) {
                if (pos >= s.length()) {
                    throw new IllegalArgumentException("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return;
                }
                if (c < 0x20) {
                    throw new IllegalArgumentException("control character in string");
                }
                if (c == '\\') {
                    char e = pos < s.length() ? s.charAt(pos++) : '\0';
                    switch (e) {
                        case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                        }
                        case 'u' -> {
                            for (int k = 0; k < 4; k++) {
                                if (pos >= s.length() || Character.digit(s.charAt(pos++), 16) < 0) {
                                    throw new IllegalArgumentException("bad unicode escape");
                                }
                            }
                        }
                        default -> throw new IllegalArgumentException("bad escape");
                    }
                }
            }
        }

        void literal(String word) {
            if (!s.startsWith(word, pos)) {
                throw new IllegalArgumentException("bad literal");
            }
            pos += word.length();
        }

        void number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
            } else if (peek() >= '1' && peek() <= '9') {
                while (peek() >= '0' && peek() <= '9') {
                    pos++;
                }
            } else {
                throw new IllegalArgumentException("bad value at " + start);
            }
            if (peek() == '.') {
                pos++;
                digits();
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                digits();
            }
        }

        void digits() {
            int start = pos;
            while (peek() >= '0' && peek() <= '9') {
                pos++;
            }
            if (pos == start) {
                throw new IllegalArgumentException("digits expected at " + start);
            }
        }
    }
}
