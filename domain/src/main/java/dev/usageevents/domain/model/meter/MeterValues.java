package dev.usageevents.domain.model.meter;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * How a meter reads a property value, shared by the reference aggregator and the PostgreSQL reader so that both
 * read it the same way.
 *
 * <ul>
 *   <li><b>Number</b> ({@link #number}): a JSON number, or a string of the form {@code [+-]digits[.digits]} (ASCII
 *       digits, no exponent, no spaces) of at most {@value #MAX_NUMERIC_STRING_LENGTH} characters. Anything else
 *       (missing, null, boolean, object, array, any other string) has no number.</li>
 *   <li><b>Text</b> ({@link #text}), compared by filters and used as group value: a string as it is, a number in
 *       canonical plain form ({@code 1.50} and {@code 1.5E0} are {@code "1.5"}, {@code 100} stays {@code "100"},
 *       zero is {@code "0"}), a boolean as {@code true} / {@code false}; null, objects and arrays have no text.</li>
 *   <li><b>Distinct value</b> ({@link #distinctKey}) for UNIQUE_COUNT: numbers by numeric value ({@code 1} and
 *       {@code 1.0} are one value), strings by their exact text, and a number never equals a string ({@code 1}
 *       and {@code "1"} are two values); other values have none.</li>
 *   <li><b>Case folding</b> ({@link #foldCase}) when a meter is not case-sensitive: ASCII letters only, the same
 *       whatever the database's locale.</li>
 *   <li><b>Average</b> ({@link #average}): the exact sum divided by the count, rounded half-even to
 *       {@value #AVERAGE_DIGITS} significant digits, trailing zeros stripped.</li>
 * </ul>
 */
public final class MeterValues {

    public static final int MAX_NUMERIC_STRING_LENGTH = 1000;
    /** The numeric strings, as a regular expression that Java and PostgreSQL read alike. */
    public static final String NUMERIC_STRING = "^[+-]?[0-9]+(\\.[0-9]+)?$";
    public static final int AVERAGE_DIGITS = 34;
    private static final MathContext AVERAGE = new MathContext(AVERAGE_DIGITS, RoundingMode.HALF_EVEN);
    private static final Pattern NUMERIC = Pattern.compile(NUMERIC_STRING);

    private MeterValues() {
    }

    public static BigDecimal number(Object value) {
        if (value instanceof Number n) {
            return decimal(n);
        }
        if (value instanceof String s && s.length() <= MAX_NUMERIC_STRING_LENGTH && NUMERIC.matcher(s).matches()) {
            return new BigDecimal(s);
        }
        return null;
    }

    public static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof Number n) {
            return canonical(decimal(n));
        }
        return null;
    }

    public static String distinctKey(Object value) {
        if (value instanceof String s) {
            return "s" + s;
        }
        if (value instanceof Number n) {
            return "n" + canonical(decimal(n));
        }
        return null;
    }

    /** A decimal in plain notation without trailing zeros, as PostgreSQL's {@code trim_scale(x)::text}. */
    public static String canonical(BigDecimal d) {
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }

    public static String foldCase(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = new StringBuilder(text);
                }
                out.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return out == null ? text : out.toString();
    }

    public static BigDecimal average(BigDecimal sum, long count) {
        if (count == 0) {
            return null;
        }
        BigDecimal average = sum.divide(BigDecimal.valueOf(count), AVERAGE);
        return average.signum() == 0 ? BigDecimal.ZERO : average.stripTrailingZeros();
    }

    private static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof Integer || n instanceof Long) {
            return BigDecimal.valueOf(n.longValue());
        }
        return new BigDecimal(n.toString());
    }
}
