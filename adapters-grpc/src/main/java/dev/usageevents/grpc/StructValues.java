package dev.usageevents.grpc;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.usageevents.domain.model.FieldError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code google.protobuf.Struct} to and from the domain's JSON tree. A Struct number is always a double; a whole
 * one becomes a JSON integer ({@code Long}, or {@code BigInteger} beyond its range) so that 500 sent through gRPC
 * is stored, compared and read back through REST as 500, not 500.0. Non-finite numbers are passed on as they are
 * and rejected by the domain's rules, which name the property.
 */
final class StructValues {

    /** Doubles at or beyond this magnitude do not fit in a long. */
    private static final double LONG_RANGE = 0x1p63;

    private StructValues() {
    }

    /**
     * The JSON object of a Struct. A {@code Value} with no kind set is not JSON: it is reported in {@code errors}
     * under its path ({@code properties.a.b[2]}) and read as null.
     */
    static Map<String, Object> toMap(Struct struct, String path, List<FieldError> errors) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (Map.Entry<String, Value> e : struct.getFieldsMap().entrySet()) {
            object.put(e.getKey(), toJava(e.getValue(), path + "." + e.getKey(), errors));
        }
        return object;
    }

    private static Object toJava(Value value, String path, List<FieldError> errors) {
        switch (value.getKindCase()) {
            case NULL_VALUE:
                return null;
            case BOOL_VALUE:
                return value.getBoolValue();
            case STRING_VALUE:
                return value.getStringValue();
            case NUMBER_VALUE:
                return number(value.getNumberValue());
            case STRUCT_VALUE:
                return toMap(value.getStructValue(), path, errors);
            case LIST_VALUE:
                List<Value> items = value.getListValue().getValuesList();
                List<Object> list = new ArrayList<>(items.size());
                for (int i = 0; i < items.size(); i++) {
                    list.add(toJava(items.get(i), path + "[" + i + "]", errors));
                }
                return list;
            default:
                errors.add(FieldError.of(path, "has no value (set one of null, number, string, bool, struct, list)"));
                return null;
        }
    }

    /** A whole, finite double as an integer; any other double as it is. */
    static Object number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d)) {
            return d;
        }
        if (Math.abs(d) < LONG_RANGE) {
            return (long) d;
        }
        return new BigDecimal(d).toBigIntegerExact();
    }

    /** The Struct of a stored JSON object; numbers become doubles, as the Struct type demands. */
    static Struct toStruct(Map<String, Object> object) {
        Struct.Builder struct = Struct.newBuilder();
        for (Map.Entry<String, Object> e : object.entrySet()) {
            struct.putFields(e.getKey(), toValue(e.getValue()));
        }
        return struct.build();
    }

    @SuppressWarnings("unchecked")
    private static Value toValue(Object value) {
        Value.Builder v = Value.newBuilder();
        if (value == null) {
            v.setNullValue(NullValue.NULL_VALUE);
        } else if (value instanceof Boolean b) {
            v.setBoolValue(b);
        } else if (value instanceof String s) {
            v.setStringValue(s);
        } else if (value instanceof Number n) {
            v.setNumberValue(n.doubleValue());
        } else if (value instanceof Map<?, ?> map) {
            v.setStructValue(toStruct((Map<String, Object>) map));
        } else if (value instanceof List<?> list) {
            ListValue.Builder items = ListValue.newBuilder();
            for (Object item : list) {
                items.addValues(toValue(item));
            }
            v.setListValue(items);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
        return v.build();
    }
}
