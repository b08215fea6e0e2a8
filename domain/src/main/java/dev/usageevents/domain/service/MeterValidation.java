package dev.usageevents.domain.service;

import static dev.usageevents.domain.model.FieldErrors.check;

import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.EventFilter;
import dev.usageevents.domain.model.EventName;
import dev.usageevents.domain.model.FieldError;
import dev.usageevents.domain.model.FieldErrors;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.meter.Aggregation;
import dev.usageevents.domain.model.meter.MeterDefinition;
import dev.usageevents.domain.model.meter.MeterValues;
import dev.usageevents.domain.model.meter.MeterWindows;
import dev.usageevents.domain.model.meter.PropertyPath;
import dev.usageevents.domain.model.meter.WindowSize;
import dev.usageevents.domain.port.in.MeterDraft;
import dev.usageevents.domain.port.in.MeterQuery;
import dev.usageevents.domain.port.in.QueryMeters;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The rules of meter definitions and meter queries: a draft becomes a {@link MeterDefinition} and a query
 * {@link MeterWindows}, or every bad field is named at once in an {@link InvalidInputException}.
 */
public final class MeterValidation {

    public static final int MAX_NAME_LENGTH = 255;
    public static final int MAX_UNIT_LENGTH = 255;
    public static final int MAX_DESCRIPTION_LENGTH = 4096;
    public static final int MAX_GROUP_BY = 5;
    /** At most this many paths in {@code propertyFilters}, and this many values per path. */
    public static final int MAX_FILTERS = 100;

    private MeterValidation() {
    }

    public static MeterDefinition definition(MeterDraft draft) {
        List<FieldError> errors = new ArrayList<>();
        String name = check(errors, () -> text("name", draft.name(), MAX_NAME_LENGTH, true));
        EventName eventName = check(errors, () -> new EventName(draft.eventName()));
        Aggregation aggregation = check(errors, () -> aggregation(draft.aggregation()));
        PropertyPath valueProperty = null;
        if (draft.valueProperty() != null) {
            valueProperty = check(errors, () -> PropertyPath.parse("valueProperty", draft.valueProperty()));
        }
        if (aggregation == Aggregation.COUNT && draft.valueProperty() != null) {
            errors.add(FieldError.of("valueProperty", "must be absent for COUNT (it counts events, not values)"));
        } else if (aggregation != null && aggregation.needsValueProperty() && draft.valueProperty() == null) {
            errors.add(FieldError.of("valueProperty", "is required for " + aggregation));
        }
        Map<PropertyPath, List<String>> filters = filters(draft.propertyFilters(), errors);
        Set<PropertyPath> negated = negated(draft.propertiesToNegate(), filters, errors);
        String unit = draft.unit() == null ? null : check(errors, () -> text("unit", draft.unit(), MAX_UNIT_LENGTH, false));
        String description = draft.description() == null ? null
                : check(errors, () -> text("description", draft.description(), MAX_DESCRIPTION_LENGTH, false));
        FieldErrors.throwIfAny(errors);
        return new MeterDefinition(name, eventName, aggregation, valueProperty, filters, negated,
                draft.caseSensitive() == null || draft.caseSensitive(), unit, description);
    }

    /** The names of the aggregations, in their order, for messages. */
    public static String aggregationNames() {
        return Arrays.stream(Aggregation.values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    public static Aggregation aggregation(String text) {
        if (text == null) {
            throw InvalidInputException.of("aggregation", "is required (one of " + aggregationNames() + ")");
        }
        try {
            return Aggregation.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of("aggregation",
                    "must be one of " + aggregationNames() + " (got '" + text + "')");
        }
    }

    private static Map<PropertyPath, List<String>> filters(Map<String, ?> given, List<FieldError> errors) {
        Map<PropertyPath, List<String>> filters = new LinkedHashMap<>();
        if (given == null) {
            return filters;
        }
        if (given.size() > MAX_FILTERS) {
            errors.add(FieldError.of("propertyFilters", "must hold at most " + MAX_FILTERS + " paths"));
            return filters;
        }
        for (Map.Entry<String, ?> entry : given.entrySet()) {
            String field = "propertyFilters." + entry.getKey();
            PropertyPath path = check(errors, () -> PropertyPath.parse(field, entry.getKey()));
            if (!(entry.getValue() instanceof List<?> values)) {
                errors.add(FieldError.of(field, "must be an array of strings, numbers or booleans"));
                continue;
            }
            if (values.isEmpty() || values.size() > MAX_FILTERS) {
                errors.add(FieldError.of(field, "must hold 1 to " + MAX_FILTERS + " values"));
                continue;
            }
            List<String> texts = new ArrayList<>(values.size());
            for (int i = 0; i < values.size(); i++) {
                Object value = values.get(i);
                boolean scalar = value instanceof String || value instanceof Boolean
                        || value instanceof Number n && finite(n);
                if (!scalar) {
                    errors.add(FieldError.of(field + "[" + i + "]", "must be a string, a number or a boolean"));
                } else {
                    texts.add(MeterValues.text(value instanceof Number n ? new BigDecimal(n.toString()) : value));
                }
            }
            if (path != null && texts.size() == values.size()) {
                filters.put(path, List.copyOf(texts));
            }
        }
        return filters;
    }

    private static boolean finite(Number n) {
        return !(n instanceof Double d && (d.isNaN() || d.isInfinite()))
                && !(n instanceof Float f && (f.isNaN() || f.isInfinite()));
    }

    private static Set<PropertyPath> negated(List<String> given, Map<PropertyPath, List<String>> filters,
            List<FieldError> errors) {
        Set<PropertyPath> negated = new LinkedHashSet<>();
        if (given == null) {
            return negated;
        }
        for (int i = 0; i < given.size(); i++) {
            String field = "propertiesToNegate[" + i + "]";
            String text = given.get(i);
            PropertyPath path = check(errors, () -> PropertyPath.parse(field, text));
            if (path != null && !filters.containsKey(path)) {
                errors.add(FieldError.of(field, "must name a path of propertyFilters"));
            } else if (path != null) {
                negated.add(path);
            }
        }
        return negated;
    }

    private static String text(String field, String value, int max, boolean required) {
        if (value == null || value.isEmpty()) {
            if (required) {
                throw InvalidInputException.of(field, "is required (1 to " + max + " characters)");
            }
            return value;
        }
        int length = value.codePointCount(0, value.length());
        if (length > max) {
            throw InvalidInputException.of(field, "must be at most " + max + " characters (got " + length + ")");
        }
        return value;
    }

    /**
     * A query's period, windows and grouping. Instants are rounded up to the microsecond (PostgreSQL's
     * precision; stored times are milliseconds, so no event changes sides).
     */
    public static MeterWindows windows(MeterQuery query) {
        List<FieldError> errors = new ArrayList<>();
        Instant from = check(errors, () -> instant("from", query.from(), true));
        Instant to = check(errors, () -> instant("to", query.to(), true));
        if (from != null && to != null && !from.isBefore(to)) {
            errors.add(FieldError.of("from", "must be before to"));
        }
        WindowSize windowSize = check(errors, () -> windowSize(query.windowSize()));
        ZoneId zone = check(errors, () -> zone(query.timeZone()));
        Instant asOf = check(errors, () -> instant("asOf", query.asOf(), false));
        List<CustomerId> customers = new ArrayList<>();
        if (query.customerIds().size() > QueryMeters.MAX_CUSTOMERS) {
            errors.add(FieldError.of("customerIds", "must name at most " + QueryMeters.MAX_CUSTOMERS
                    + " customers (got " + query.customerIds().size() + ")"));
        } else {
            for (int i = 0; i < query.customerIds().size(); i++) {
                String id = query.customerIds().get(i);
                CustomerId customer = checkAt(errors, i, "customerIds", () -> new CustomerId(id));
                if (customer != null && !customers.contains(customer)) {
                    customers.add(customer);
                }
            }
        }
        List<PropertyPath> groupBy = new ArrayList<>();
        if (query.groupBy().size() > MAX_GROUP_BY) {
            errors.add(FieldError.of("groupBy", "must name at most " + MAX_GROUP_BY + " paths (got "
                    + query.groupBy().size() + ")"));
        } else {
            for (int i = 0; i < query.groupBy().size(); i++) {
                String field = "groupBy[" + i + "]";
                String text = query.groupBy().get(i);
                PropertyPath path = check(errors, () -> PropertyPath.parse(field, text));
                if (path != null && groupBy.contains(path)) {
                    errors.add(FieldError.of(field, "names a path already listed"));
                } else if (path != null) {
                    groupBy.add(path);
                }
            }
        }
        FieldErrors.throwIfAny(errors);
        MeterWindows windows = new MeterWindows(from, to, windowSize, zone, customers, query.groupByCustomer(),
                groupBy, asOf);
        int count = windows.bounds(QueryMeters.MAX_ROWS).size() - 1;
        if (count > QueryMeters.MAX_ROWS) {
            throw InvalidInputException.of(windowSize == null ? "to" : "windowSize", "the period holds more than "
                    + QueryMeters.MAX_ROWS + " windows: at most " + QueryMeters.MAX_ROWS
                    + " windows × groups in one answer");
        }
        return windows;
    }

    public static WindowSize windowSize(String text) {
        if (text == null) {
            return null;
        }
        try {
            return WindowSize.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of("windowSize", "must be one of " + Arrays.stream(WindowSize.values())
                    .map(Enum::name).collect(Collectors.joining(", ")) + " (got '" + text + "')");
        }
    }

    public static ZoneId zone(String text) {
        if (text == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw InvalidInputException.of("timeZone", "must be an IANA time zone such as Europe/Berlin (got '"
                    + text + "')");
        }
    }

    private static Instant instant(String field, Instant value, boolean required) {
        if (value == null) {
            if (required) {
                throw InvalidInputException.of(field, "is required");
            }
            return null;
        }
        EventFilter.checkBound(field, value);
        Instant micros = value.truncatedTo(ChronoUnit.MICROS);
        return micros.equals(value) ? value : micros.plus(1, ChronoUnit.MICROS);
    }

    private static <T> T checkAt(List<FieldError> errors, int index, String field, Supplier<T> value) {
        try {
            return value.get();
        } catch (InvalidInputException e) {
            for (FieldError error : e.errors()) {
                errors.add(FieldError.of(field + "[" + index + "]", error.message()));
            }
            return null;
        }
    }
}
