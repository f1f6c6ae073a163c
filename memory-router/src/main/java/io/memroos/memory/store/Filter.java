package io.memroos.memory.store;

import java.util.List;
import java.util.Objects;

/**
 * A validated recall/list filter over a memory's fields: {@code userId}, {@code sessionId}, {@code createdAt}
 * (epoch millis) and {@code metadata.<key>}. Backends translate it to their own query language; the semantics
 * are those of {@link #matches}, which every backend's contract test checks against.
 */
public sealed interface Filter {

    /** The operators of a leaf condition. */
    enum Op { EQ, NE, IN, RANGE, CONTAINS }

    record And(List<Filter> all) implements Filter {
        public And {
            all = List.copyOf(all);
        }
    }

    record Or(List<Filter> any) implements Filter {
        public Or {
            any = List.copyOf(any);
        }
    }

    record Not(Filter filter) implements Filter {
        public Not {
            Objects.requireNonNull(filter);
        }
    }

    /**
     * A leaf. {@code value} is a String, Double or Boolean for EQ/NE/CONTAINS (CONTAINS: substring of a string
     * value or an element of a list value), a list of those for IN, and {@link Range} for RANGE.
     */
    record Cond(String field, Op op, Object value) implements Filter {
        public Cond {
            Objects.requireNonNull(field);
            Objects.requireNonNull(op);
        }
    }

    /** Numeric bounds; null means open. */
    record Range(Double gt, Double gte, Double lt, Double lte) {
        public boolean test(double v) {
            return (gt == null || v > gt) && (gte == null || v >= gte) && (lt == null || v < lt)
                    && (lte == null || v <= lte);
        }
    }

    /** The reference semantics: does a memory with these field values match? */
    static boolean matches(Filter f, java.util.function.Function<String, Object> valueOf) {
        if (f instanceof And a) {
            return a.all().stream().allMatch(x -> matches(x, valueOf));
        }
        if (f instanceof Or o) {
            return o.any().stream().anyMatch(x -> matches(x, valueOf));
        }
        if (f instanceof Not n) {
            return !matches(n.filter(), valueOf);
        }
        Cond c = (Cond) f;
        Object v = valueOf.apply(c.field());
        return switch (c.op()) {
            case EQ -> anyEquals(v, c.value());
            case NE -> !anyEquals(v, c.value());
            case IN -> ((List<?>) c.value()).stream().anyMatch(x -> anyEquals(v, x));
            case RANGE -> v instanceof Number n ? ((Range) c.value()).test(n.doubleValue())
                    : v instanceof List<?> l && l.stream().anyMatch(x -> x instanceof Number n2 && ((Range) c.value()).test(n2.doubleValue()));
            case CONTAINS -> {
                // case-insensitive substring of the value, or of any element of a list value
                String needle = String.valueOf(c.value()).toLowerCase(java.util.Locale.ROOT);
                yield (v instanceof List<?> l ? l : java.util.Collections.singletonList(v)).stream()
                        .anyMatch(x -> x != null && !(x instanceof java.util.Map<?, ?>)
                                && String.valueOf(x).toLowerCase(java.util.Locale.ROOT).contains(needle));
            }
        };
    }

    private static boolean anyEquals(Object v, Object want) {
        if (v instanceof List<?> l) {
            return l.stream().anyMatch(x -> scalarEquals(x, want));
        }
        return scalarEquals(v, want);
    }

    private static boolean scalarEquals(Object v, Object want) {
        if (v == null || want == null) {
            return false;
        }
        if (v instanceof Number a && want instanceof Number b) {
            return a.doubleValue() == b.doubleValue();
        }
        return String.valueOf(v).equals(String.valueOf(want));
    }
}
