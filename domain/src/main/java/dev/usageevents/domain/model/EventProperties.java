package dev.usageevents.domain.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The properties of an event: a JSON object, held as an immutable tree of {@code Map<String, Object>},
 * {@code List<Object>}, {@code String}, {@code Boolean}, numbers ({@code Integer}, {@code Long},
 * {@code BigInteger}, {@code BigDecimal}, {@code Double}) and {@code null}. JSON types are kept: 500 stays an
 * integer. Limits: at most {@value #MAX_BYTES} bytes serialized, nesting depth {@value #MAX_DEPTH}, no U+0000,
 * numbers below 1e{@value #MAX_EXPONENT} in magnitude with at most {@value #MAX_FRACTION_DIGITS} digits after the
 * decimal point (a JSON parser reads 1e1000000 as a number; no database or client could hold it).
 */
public final class EventProperties {

    public static final String FIELD = "properties";
    public static final int MAX_BYTES = 32 * 1024;
    public static final int MAX_DEPTH = 16;
    public static final int MAX_EXPONENT = 309;
    public static final int MAX_FRACTION_DIGITS = 1000;
    public static final EventProperties EMPTY = new EventProperties(Map.of(), "{}");

    private final Map<String, Object> values;
    private final String json;

    private EventProperties(Map<String, Object> values, String json) {
        this.values = values;
        this.json = json;
    }

    /** Validates and copies a JSON object; {@code null} is the empty object. */
    public static EventProperties of(Map<String, ?> object) {
        return of(FIELD, object);
    }

    /** As {@link #of(Map)}, naming the field as the caller's schema does (e.g. {@code eventProperties}). */
    public static EventProperties of(String field, Map<String, ?> object) {
        if (object == null || object.isEmpty()) {
            return EMPTY;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = (Map<String, Object>) copy(field, object, 1);
        StringBuilder out = new StringBuilder();
        write(out, copy);
        String json = out.toString();
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw InvalidInputException.of(field, "must be at most " + MAX_BYTES + " bytes serialized (got " + bytes + ")");
        }
        return new EventProperties(copy, json);
    }

    public Map<String, Object> values() {
        return values;
    }

    /** Compact JSON, keys in the order given. */
    public String toJson() {
        return json;
    }

    /**
     * JSON equality: objects compare without regard to key order, numbers by value (1 equals 1.0), as
     * PostgreSQL's {@code jsonb} compares them.
     */
    public boolean sameAs(EventProperties other) {
        return jsonEquals(values, other.values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventProperties other && sameAs(other);
    }

    @Override
    public int hashCode() {
        return values.keySet().hashCode();
    }

    @Override
    public String toString() {
        return json;
    }

    private static Object copy(String path, Object value, int depth) {
        if (value == null || value instanceof Boolean) {
            return value;
        }
        if (value instanceof String s) {
            checkNoNul(path, s);
            return s;
        }
        if (value instanceof Number n) {
            return number(path, n);
        }
        if (depth > MAX_DEPTH) {
            throw InvalidInputException.of(path, "nests deeper than " + MAX_DEPTH + " levels");
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw InvalidInputException.of(path, "keys must be strings");
                }
                checkNoNul(path, key);
                copy.put(key, copy(path + "." + key, e.getValue(), depth + 1));
            }
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(copy(path + "[" + i + "]", list.get(i), depth + 1));
            }
            return Collections.unmodifiableList(copy);
        }
        throw InvalidInputException.of(path, "is not a JSON value (" + value.getClass().getSimpleName() + ")");
    }

    private static Object number(String path, Number n) {
        if (n instanceof Integer || n instanceof Long) {
            return n;
        }
        if (n instanceof BigInteger || n instanceof BigDecimal) {
            BigDecimal d = decimal(n);
            if (d.precision() - d.scale() > MAX_EXPONENT || d.scale() > MAX_FRACTION_DIGITS) {
                throw InvalidInputException.of(path, "is out of range: numbers must be below 1e" + MAX_EXPONENT
                        + " in magnitude, with at most " + MAX_FRACTION_DIGITS + " digits after the decimal point");
            }
            return n;
        }
        if (n instanceof Short || n instanceof Byte) {
            return n.intValue();
        }
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw InvalidInputException.of(path, "must be a finite number");
            }
            return n instanceof Float ? new BigDecimal(n.toString()) : d;
        }
        throw InvalidInputException.of(path, "is not a JSON number (" + n.getClass().getSimpleName() + ")");
    }

    private static void checkNoNul(String path, String s) {
        if (s.indexOf('\u0000') >= 0) {
            throw InvalidInputException.of(path, "must not contain U+0000");
        }
    }

    private static boolean jsonEquals(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return decimal(x).compareTo(decimal(y)) == 0;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !jsonEquals(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!jsonEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static BigDecimal decimal(Number n) {
        return n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
    }

    private static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(out, s);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(out, (String) e.getKey());
                out.append(':');
                write(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(out, list.get(i));
            }
            out.append(']');
        } else {
            out.append(value);
        }
    }

    private static void writeString(StringBuilder out, String s) {
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
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
