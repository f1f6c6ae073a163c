package io.memroos.governance.domain.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parser and evaluator for the subset of the Cedar policy language governance uses (docs/governance.md):
 * {@code @id("...")} annotations; {@code permit}/{@code forbid}; scopes {@code principal|resource [== E | is T
 * [in E] | in E]}, {@code action [== E | in E | in [E, ...]]}; {@code when}/{@code unless} conditions with
 * {@code || && !}, {@code == != < <= > >=}, {@code in}, {@code has}, {@code like}, {@code + -},
 * {@code if-then-else}, attribute access ({@code .a}, {@code ["a"]}), the set methods {@code contains},
 * {@code containsAll}, {@code containsAny}, literals (strings, longs, booleans, entity references
 * {@code Type::"id"}, sets, records). Semantics are Cedar's: default deny, a satisfied {@code forbid} wins over
 * any {@code permit}, a policy whose condition errors (a missing attribute, a type mismatch) is skipped and
 * the error reported.
 */
public final class Cedar {

    private Cedar() {
    }

    // ---- values ------------------------------------------------------------------------------------

    /** An entity reference {@code Type::"id"}. */
    public record Entity(String type, String id) {
        @Override
        public String toString() {
            return type + "::\"" + id + "\"";
        }
    }

    /** A refusal while parsing: where and why. */
    public static final class ParseError extends RuntimeException {
        public final int line;
        public final int column;

        ParseError(int line, int column, String message) {
            super("line " + line + ", column " + column + ": " + message, null, false, false);
            this.line = line;
            this.column = column;
        }
    }

    static final class EvalError extends RuntimeException {
        EvalError(String message) {
            super(message, null, false, false);
        }
    }

    // ---- AST ---------------------------------------------------------------------------------------

    public enum Effect { PERMIT, FORBID }

    /** A scope constraint: {@code ==} an entity, {@code is} a type (optionally {@code in} an entity), {@code in} entities. */
    record Scope(String op, String type, List<Entity> entities) {
        static final Scope ANY = new Scope("any", null, List.of());

        boolean matches(Entity e) {
            return switch (op) {
                case "any" -> true;
                case "==" -> entities.get(0).equals(e);
                case "is" -> e.type().equals(type) && (entities.isEmpty() || entities.contains(e));
                case "in" -> entities.contains(e);
                default -> false;
            };
        }
    }

    /** One parsed policy. */
    public record Policy(String id, Effect effect, Scope principal, Scope action, Scope resource,
                         List<Condition> conditions, Map<String, String> annotations, String text) {
    }

    record Condition(boolean when, Expr expr) {
    }

    interface Expr {
        Object eval(Request r);
    }

    /** What a decision is asked about; entity attributes are looked up in {@code attributes}. */
    public record Request(Entity principal, Entity action, Entity resource, Map<String, Object> context,
                          Map<Entity, Map<String, Object>> attributes) {
    }

    /** The answer: allow or deny, the policies that decided, and the errors of skipped policies. */
    public record Decision(boolean allow, List<String> policies, List<String> errors) {
    }

    // ---- evaluation ----------------------------------------------------------------------------------

    public static Decision decide(List<Policy> policies, Request request) {
        List<String> permits = new ArrayList<>();
        List<String> forbids = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Policy p : policies) {
            if (!p.principal().matches(request.principal()) || !p.action().matches(request.action())
                    || !p.resource().matches(request.resource())) {
                continue;
            }
            boolean satisfied = true;
            try {
                for (Condition c : p.conditions()) {
                    boolean v = bool(c.expr().eval(request));
                    if (v != c.when()) {
                        satisfied = false;
                        break;
                    }
                }
            } catch (EvalError e) {
                errors.add(p.id() + ": " + e.getMessage());
                continue;
            }
            if (satisfied) {
                (p.effect() == Effect.FORBID ? forbids : permits).add(p.id());
            }
        }
        if (!forbids.isEmpty()) {
            return new Decision(false, forbids, errors);
        }
        return new Decision(!permits.isEmpty(), permits, errors);
    }

    static boolean bool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        throw new EvalError("expected a boolean, got " + describe(v));
    }

    static long lng(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        throw new EvalError("expected a long, got " + describe(v));
    }

    static String describe(Object v) {
        if (v == null) {
            return "nothing";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Long) {
            return "a long";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof Entity) {
            return "an entity";
        }
        if (v instanceof List) {
            return "a set";
        }
        return "a record";
    }

    @SuppressWarnings("unchecked")
    static Object attr(Object target, String name, Request r) {
        Map<String, Object> attrs;
        if (target instanceof Entity e) {
            attrs = r.attributes().get(e);
            if (attrs == null) {
                throw new EvalError("entity " + e + " has no attributes");
            }
        } else if (target instanceof Map<?, ?> m) {
            attrs = (Map<String, Object>) m;
        } else {
            throw new EvalError("cannot read attribute " + name + " of " + describe(target));
        }
        if (!attrs.containsKey(name)) {
            throw new EvalError(target + " has no attribute " + name);
        }
        return attrs.get(name);
    }

    @SuppressWarnings("unchecked")
    static boolean has(Object target, String name, Request r) {
        if (target instanceof Entity e) {
            Map<String, Object> attrs = r.attributes().get(e);
            return attrs != null && attrs.containsKey(name);
        }
        if (target instanceof Map<?, ?> m) {
            return ((Map<String, Object>) m).containsKey(name);
        }
        throw new EvalError("has needs an entity or a record, got " + describe(target));
    }

    static boolean in(Object left, Object right) {
        if (!(left instanceof Entity)) {
            throw new EvalError("in needs an entity on the left, got " + describe(left));
        }
        if (right instanceof Entity) {
            return left.equals(right);
        }
        if (right instanceof List<?> set) {
            for (Object o : set) {
                if (!(o instanceof Entity)) {
                    throw new EvalError("in needs a set of entities");
                }
            }
            return set.contains(left);
        }
        throw new EvalError("in needs an entity or a set of entities on the right, got " + describe(right));
    }

    static boolean like(String s, String pattern) {
        // '*' matches any run of characters; "\*" a literal star
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                cur.append('*');
                i++;
            } else if (c == '*') {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        if (parts.size() == 1) {
            return s.equals(parts.get(0));
        }
        if (!s.startsWith(parts.get(0))) {
            return false;
        }
        int pos = parts.get(0).length();
        for (int i = 1; i < parts.size() - 1; i++) {
            int at = s.indexOf(parts.get(i), pos);
            if (at < 0) {
                return false;
            }
            pos = at + parts.get(i).length();
        }
        String last = parts.get(parts.size() - 1);
        return s.length() - pos >= last.length() && s.endsWith(last);
    }

    static boolean equal(Object a, Object b) {
        return Objects.equals(a, b);
    }

    // ---- lexer -------------------------------------------------------------------------------------

    enum T { IDENT, STRING, LONG, PUNCT, EOF }

    record Token(T kind, String text, int line, int column) {
        @Override
        public String toString() {
            return kind == T.EOF ? "end of input" : kind == T.STRING ? "\"" + text + "\"" : "'" + text + "'";
        }
    }

    static List<Token> lex(String src) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int line = 1;
        int col = 1;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '\n') {
                line++;
                col = 1;
                i++;
                continue;
            }
            if (Character.isWhitespace(c)) {
                i++;
                col++;
                continue;
            }
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            int startCol = col;
            if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(src.charAt(j)) || src.charAt(j) == '_')) {
                    j++;
                }
                out.add(new Token(T.IDENT, src.substring(i, j), line, startCol));
                col += j - i;
                i = j;
            } else if (Character.isDigit(c)) {
                int j = i;
                while (j < n && Character.isDigit(src.charAt(j))) {
                    j++;
                }
                out.add(new Token(T.LONG, src.substring(i, j), line, startCol));
                col += j - i;
                i = j;
            } else if (c == '"') {
                StringBuilder s = new StringBuilder();
                int j = i + 1;
                while (true) {
                    if (j >= n || src.charAt(j) == '\n') {
                        throw new ParseError(line, startCol, "unterminated string literal");
                    }
                    char d = src.charAt(j);
                    if (d == '"') {
                        break;
                    }
                    if (d == '\\' && j + 1 < n) {
                        char e = src.charAt(j + 1);
                        switch (e) {
                            case 'n' -> s.append('\n');
                            case 't' -> s.append('\t');
                            case 'r' -> s.append('\r');
                            case '0' -> s.append('\0');
                            case '*' -> s.append("\\*");
                            default -> s.append(e);
                        }
                        j += 2;
                        continue;
                    }
                    s.append(d);
                    j++;
                }
                out.add(new Token(T.STRING, s.toString(), line, startCol));
                col += j + 1 - i;
                i = j + 1;
            } else {
                String two = i + 1 < n ? src.substring(i, i + 2) : "";
                String p = switch (two) {
                    case "==", "!=", "<=", ">=", "&&", "||", "::" -> two;
                    default -> null;
                };
                if (p == null) {
                    if ("@(),;{}[].!<>+-*:".indexOf(c) < 0) {
                        throw new ParseError(line, startCol, "unexpected character '" + c + "'");
                    }
                    p = String.valueOf(c);
                }
                out.add(new Token(T.PUNCT, p, line, startCol));
                col += p.length();
                i += p.length();
            }
        }
        out.add(new Token(T.EOF, "", line, col));
        return out;
    }

    // ---- parser ------------------------------------------------------------------------------------

    /**
     * Parses a policy set text. Each policy's id is its {@code @id} annotation, else {@code defaultIdPrefix}
     * followed by its index ({@code policy0}, {@code policy1}, ... as Cedar names them).
     */
    public static List<Policy> parse(String text, String defaultIdPrefix) {
        return new Parser(text, lex(text), defaultIdPrefix).policies();
    }

    private static final class Parser {
        private final String src;
        private final List<Token> tokens;
        private final String prefix;
        private int pos;

        Parser(String src, List<Token> tokens, String prefix) {
            this.src = src;
            this.tokens = tokens;
            this.prefix = prefix;
        }

        Token peek() {
            return tokens.get(pos);
        }

        Token next() {
            return tokens.get(pos++);
        }

        boolean is(String text) {
            Token t = peek();
            return (t.kind() == T.PUNCT || t.kind() == T.IDENT) && t.text().equals(text);
        }

        boolean accept(String text) {
            if (is(text)) {
                pos++;
                return true;
            }
            return false;
        }

        Token expect(String text) {
            if (!is(text)) {
                throw error("expected '" + text + "'");
            }
            return next();
        }

        ParseError error(String what) {
            Token t = peek();
            return new ParseError(t.line(), t.column(), what + ", found " + t);
        }

        String string() {
            if (peek().kind() != T.STRING) {
                throw error("expected a string literal");
            }
            return next().text();
        }

        String ident() {
            if (peek().kind() != T.IDENT) {
                throw error("expected an identifier");
            }
            return next().text();
        }

        List<Policy> policies() {
            List<Policy> out = new ArrayList<>();
            while (peek().kind() != T.EOF) {
                out.add(policy(out.size()));
            }
            return out;
        }

        Policy policy(int index) {
            Token start = peek();
            Map<String, String> annotations = new LinkedHashMap<>();
            while (accept("@")) {
                String name = ident();
                expect("(");
                String value = string();
                expect(")");
                annotations.put(name, value);
            }
            Effect effect;
            if (accept("permit")) {
                effect = Effect.PERMIT;
            } else if (accept("forbid")) {
                effect = Effect.FORBID;
            } else {
                throw error("expected 'permit' or 'forbid'");
            }
            expect("(");
            expect("principal");
            Scope principal = scope(false);
            expect(",");
            expect("action");
            Scope action = scope(true);
            expect(",");
            expect("resource");
            Scope resource = scope(false);
            expect(")");
            List<Condition> conditions = new ArrayList<>();
            while (is("when") || is("unless")) {
                boolean when = next().text().equals("when");
                expect("{");
                Expr e = expr();
                expect("}");
                conditions.add(new Condition(when, e));
            }
            Token end = expect(";");
            String id = annotations.getOrDefault("id", prefix + index);
            String text = slice(start, end);
            return new Policy(id, effect, principal, action, resource, List.copyOf(conditions), annotations, text);
        }

        private String slice(Token start, Token end) {
            String[] lines = src.split("\n", -1);
            StringBuilder out = new StringBuilder();
            for (int l = start.line(); l <= end.line(); l++) {
                String line = lines[l - 1];
                int from = l == start.line() ? start.column() - 1 : 0;
                int to = l == end.line() ? Math.min(line.length(), end.column()) : line.length();
                out.append(line, Math.min(from, line.length()), to);
                if (l < end.line()) {
                    out.append('\n');
                }
            }
            return out.toString();
        }

        Scope scope(boolean action) {
            if (accept("==")) {
                return new Scope("==", null, List.of(entity()));
            }
            if (!action && accept("is")) {
                String type = path();
                if (accept("in")) {
                    return new Scope("is", type, List.of(entity()));
                }
                return new Scope("is", type, List.of());
            }
            if (accept("in")) {
                if (action && accept("[")) {
                    List<Entity> list = new ArrayList<>();
                    if (!is("]")) {
                        do {
                            list.add(entity());
                        } while (accept(","));
                    }
                    expect("]");
                    return new Scope("in", null, List.copyOf(list));
                }
                return new Scope("in", null, List.of(entity()));
            }
            return Scope.ANY;
        }

        String path() {
            StringBuilder s = new StringBuilder(ident());
            while (is("::") && tokens.get(pos + 1).kind() == T.IDENT) {
                next();
                s.append("::").append(ident());
            }
            return s.toString();
        }

        Entity entity() {
            String type = path();
            expect("::");
            return new Entity(type, string());
        }

        Expr expr() {
            if (accept("if")) {
                Expr c = expr();
                expect("then");
                Expr a = expr();
                expect("else");
                Expr b = expr();
                return r -> bool(c.eval(r)) ? a.eval(r) : b.eval(r);
            }
            return or();
        }

        Expr or() {
            Expr left = and();
            while (accept("||")) {
                Expr l = left;
                Expr right = and();
                left = r -> bool(l.eval(r)) || bool(right.eval(r));
            }
            return left;
        }

        Expr and() {
            Expr left = relation();
            while (accept("&&")) {
                Expr l = left;
                Expr right = relation();
                left = r -> bool(l.eval(r)) && bool(right.eval(r));
            }
            return left;
        }

        Expr relation() {
            Expr left = add();
            if (accept("has")) {
                String name = peek().kind() == T.STRING ? string() : ident();
                return r -> has(left.eval(r), name, r);
            }
            if (accept("like")) {
                String pattern = string();
                return r -> {
                    Object v = left.eval(r);
                    if (!(v instanceof String s)) {
                        throw new EvalError("like needs a string, got " + describe(v));
                    }
                    return like(s, pattern);
                };
            }
            if (accept("in")) {
                Expr right = add();
                return r -> in(left.eval(r), right.eval(r));
            }
            for (String op : new String[]{"==", "!=", "<=", ">=", "<", ">"}) {
                if (accept(op)) {
                    Expr right = add();
                    return switch (op) {
                        case "==" -> r -> equal(left.eval(r), right.eval(r));
                        case "!=" -> r -> !equal(left.eval(r), right.eval(r));
                        case "<=" -> r -> lng(left.eval(r)) <= lng(right.eval(r));
                        case ">=" -> r -> lng(left.eval(r)) >= lng(right.eval(r));
                        case "<" -> r -> lng(left.eval(r)) < lng(right.eval(r));
                        default -> r -> lng(left.eval(r)) > lng(right.eval(r));
                    };
                }
            }
            return left;
        }

        Expr add() {
            Expr left = unary();
            while (is("+") || is("-")) {
                boolean plus = next().text().equals("+");
                Expr l = left;
                Expr right = unary();
                left = plus ? r -> Math.addExact(lng(l.eval(r)), lng(right.eval(r)))
                        : r -> Math.subtractExact(lng(l.eval(r)), lng(right.eval(r)));
            }
            return left;
        }

        Expr unary() {
            if (accept("!")) {
                Expr e = unary();
                return r -> !bool(e.eval(r));
            }
            if (accept("-")) {
                if (peek().kind() == T.LONG) {
                    long v = -Long.parseLong(next().text());
                    return member(r -> v);
                }
                Expr e = unary();
                return r -> Math.negateExact(lng(e.eval(r)));
            }
            return member(primary());
        }

        Expr member(Expr base) {
            Expr e = base;
            while (true) {
                if (accept(".")) {
                    String name = ident();
                    if (accept("(")) {
                        Expr target = e;
                        Expr arg = expr();
                        expect(")");
                        e = switch (name) {
                            case "contains" -> r -> set(target.eval(r)).contains(arg.eval(r));
                            case "containsAll" -> r -> set(target.eval(r)).containsAll(set(arg.eval(r)));
                            case "containsAny" -> r -> {
                                List<?> a = set(target.eval(r));
                                for (Object o : set(arg.eval(r))) {
                                    if (a.contains(o)) {
                                        return true;
                                    }
                                }
                                return false;
                            };
                            default -> throw error("unknown method " + name);
                        };
                    } else {
                        Expr target = e;
                        e = r -> attr(target.eval(r), name, r);
                    }
                } else if (is("[")) {
                    next();
                    String name = string();
                    expect("]");
                    Expr target = e;
                    e = r -> attr(target.eval(r), name, r);
                } else {
                    return e;
                }
            }
        }

        static List<?> set(Object v) {
            if (v instanceof List<?> l) {
                return l;
            }
            throw new EvalError("expected a set, got " + describe(v));
        }

        Expr primary() {
            Token t = peek();
            switch (t.kind()) {
                case STRING -> {
                    String s = next().text();
                    return r -> s;
                }
                case LONG -> {
                    long v;
                    try {
                        v = Long.parseLong(next().text());
                    } catch (NumberFormatException e) {
                        throw new ParseError(t.line(), t.column(), "integer literal out of range");
                    }
                    return r -> v;
                }
                case IDENT -> {
                    switch (t.text()) {
                        case "true" -> {
                            next();
                            return r -> Boolean.TRUE;
                        }
                        case "false" -> {
                            next();
                            return r -> Boolean.FALSE;
                        }
                        case "principal" -> {
                            next();
                            return Request::principal;
                        }
                        case "action" -> {
                            next();
                            return Request::action;
                        }
                        case "resource" -> {
                            next();
                            return Request::resource;
                        }
                        case "context" -> {
                            next();
                            return Request::context;
                        }
                        default -> {
                            Entity e = entity();
                            return r -> e;
                        }
                    }
                }
                case PUNCT -> {
                    if (accept("(")) {
                        Expr e = expr();
                        expect(")");
                        return e;
                    }
                    if (accept("[")) {
                        List<Expr> items = new ArrayList<>();
                        if (!is("]")) {
                            do {
                                items.add(expr());
                            } while (accept(","));
                        }
                        expect("]");
                        return r -> {
                            List<Object> out = new ArrayList<>(items.size());
                            for (Expr x : items) {
                                out.add(x.eval(r));
                            }
                            return out;
                        };
                    }
                    if (accept("{")) {
                        Map<String, Expr> fields = new LinkedHashMap<>();
                        if (!is("}")) {
                            do {
                                String k = peek().kind() == T.STRING ? string() : ident();
                                expect(":");
                                fields.put(k, expr());
                            } while (accept(","));
                        }
                        expect("}");
                        return r -> {
                            Map<String, Object> out = new LinkedHashMap<>();
                            fields.forEach((k, x) -> out.put(k, x.eval(r)));
                            return out;
                        };
                    }
                    throw error("expected an expression");
                }
                default -> throw error("expected an expression");
            }
        }
    }
}
