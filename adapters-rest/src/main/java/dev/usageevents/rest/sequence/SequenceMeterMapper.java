package dev.usageevents.rest.sequence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.meter.Aggregation;
import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.domain.model.meter.MeterDefinition;
import dev.usageevents.domain.model.meter.PropertyPath;
import dev.usageevents.domain.port.in.MeterDraft;
import dev.usageevents.domain.port.in.MeterListQuery;
import dev.usageevents.domain.port.in.MeterPage;
import dev.usageevents.domain.port.in.MeterQuery;
import dev.usageevents.domain.port.in.MeterResult;
import dev.usageevents.domain.port.in.MeterRow;
import dev.usageevents.rest.common.JsonBody;
import dev.usageevents.rest.common.PeriodBounds;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Sequence's usage metrics and the domain's meters, both ways. Sequence's names end here: {@code eventType} is the
 * domain's {@code eventName}, {@code aggregationType} its {@code aggregation} ({@code UNIQUE} is
 * {@code UNIQUE_COUNT}), {@code aggregationProperty} its {@code valueProperty}, {@code customerAliases} its
 * {@code customerIds}; a domain refusal is renamed to the field the client sent.
 */
final class SequenceMeterMapper {

    static final String NAME = "name";
    static final String DESCRIPTION = "description";
    static final String METRIC_TYPE = "metricType";
    static final String EVENT_TYPE = "eventType";
    static final String AGGREGATION_TYPE = "aggregationType";
    static final String AGGREGATION_PROPERTY = "aggregationProperty";
    static final String GROUPING_PROPERTY = "groupingProperty";
    static final String UNIT = "unit";
    static final String PROPERTY_FILTERS = "propertyFilters";
    static final String PROPERTIES_TO_NEGATE = "propertiesToNegate";
    static final String CASE_SENSITIVE = "caseSensitive";
    static final String PARAMETERS = "parameters";
    static final String SIMPLE = "SIMPLE";
    static final String UNIQUE = "UNIQUE";
    static final String CUSTOM = "CUSTOM";
    /** In the {@code groupBy} of the usage extension: group by customer rather than by a property. */
    static final String GROUP_BY_CUSTOMER = "customerAlias";
    static final int DEFAULT_LIMIT = 20;

    /** The domain's fields of a meter draft, by Sequence's name. */
    private static final Map<String, String> BODY_FIELDS = Map.of(
            "eventName", EVENT_TYPE,
            "aggregation", AGGREGATION_TYPE,
            "valueProperty", AGGREGATION_PROPERTY);

    /** The domain's fields of a meter query, as {@code calculate} names its parameters. */
    static final Map<String, String> CALCULATE_FIELDS = Map.of(
            "from", "periodStart",
            "to", "periodEnd",
            "customerIds", "customerAliases");

    /** The domain's fields of a meter query, as the {@code usage} extension names its parameters. */
    static final Map<String, String> USAGE_FIELDS = Map.of("customerIds", "customerAliases");

    /** The domain's fields of a list query, as the list names its parameters. */
    static final Map<String, String> LIST_FIELDS = Map.of(
            "eventName", EVENT_TYPE,
            "aggregation", AGGREGATION_TYPE);

    private SequenceMeterMapper() {
    }

    /**
     * Reads the body of a POST or PUT. Wrong JSON types are refused here, naming Sequence's fields; the domain
     * checks the values. {@code CUSTOM} metrics (with {@code parameters}) and {@code GROUPED} metrics are refused:
     * a query groups by any property instead ({@code usage?groupBy=}).
     */
    static MeterDraft toDraft(byte[] body) {
        JsonNode root = SequenceRequests.jsonObject(body);
        List<SequenceError.FieldMessage> errors = new ArrayList<>();
        String name = SequenceRequests.string(root, NAME, errors);
        String description = SequenceRequests.string(root, DESCRIPTION, errors);
        String metricType = SequenceRequests.string(root, METRIC_TYPE, errors);
        if (metricType != null && !metricType.equals(SIMPLE)) {
            errors.add(new SequenceError.FieldMessage(METRIC_TYPE, metricType.equals("GROUPED")
                    ? "GROUPED is not supported: send SIMPLE and group at query time (usage?groupBy=)"
                    : "must be SIMPLE (got '" + PeriodBounds.abbreviate(metricType) + "')"));
        }
        String eventType = SequenceRequests.string(root, EVENT_TYPE, errors);
        String aggregationType = SequenceRequests.string(root, AGGREGATION_TYPE, errors);
        if (CUSTOM.equals(aggregationType)) {
            errors.add(new SequenceError.FieldMessage(AGGREGATION_TYPE,
                    "CUSTOM is not supported: use COUNT, UNIQUE, SUM, MIN, MAX, AVG or LATEST"));
        }
        String aggregationProperty = SequenceRequests.string(root, AGGREGATION_PROPERTY, errors);
        if (SequenceRequests.string(root, GROUPING_PROPERTY, errors) != null) {
            errors.add(new SequenceError.FieldMessage(GROUPING_PROPERTY,
                    "is not supported: group at query time (usage?groupBy=)"));
        }
        String unit = SequenceRequests.string(root, UNIT, errors);
        Map<String, Object> filters = null;
        JsonNode filterNode = root.get(PROPERTY_FILTERS);
        if (filterNode != null && !filterNode.isNull()) {
            if (filterNode.isObject()) {
                filters = JsonBody.toMap(filterNode);
            } else {
                errors.add(new SequenceError.FieldMessage(PROPERTY_FILTERS,
                        "must be a JSON object of property path to values (got " + JsonBody.typeOf(filterNode) + ")"));
            }
        }
        List<String> negate = strings(root, PROPERTIES_TO_NEGATE, errors);
        Boolean caseSensitive = null;
        JsonNode caseNode = root.get(CASE_SENSITIVE);
        if (caseNode != null && !caseNode.isNull()) {
            if (caseNode.isBoolean()) {
                caseSensitive = caseNode.booleanValue();
            } else {
                errors.add(new SequenceError.FieldMessage(CASE_SENSITIVE,
                        "must be a boolean (got " + JsonBody.typeOf(caseNode) + ")"));
            }
        }
        JsonNode parameters = root.get(PARAMETERS);
        if (parameters != null && !parameters.isNull() && !(parameters.isArray() && parameters.isEmpty())) {
            errors.add(new SequenceError.FieldMessage(PARAMETERS,
                    "must be empty: custom metric parameters are not supported"));
        }
        if (!errors.isEmpty()) {
            throw SequenceApiException.invalid(errors);
        }
        return new MeterDraft(name, eventType, toDomainAggregation(aggregationType), aggregationProperty, filters,
                negate, caseSensitive, unit, description);
    }

    /** Sequence's aggregation type as the domain names it: {@code UNIQUE} is {@code UNIQUE_COUNT}. */
    static String toDomainAggregation(String aggregationType) {
        return UNIQUE.equals(aggregationType) ? Aggregation.UNIQUE_COUNT.name() : aggregationType;
    }

    static String toSequence(Aggregation aggregation) {
        return aggregation == Aggregation.UNIQUE_COUNT ? UNIQUE : aggregation.name();
    }

    static SequenceUsageMetric toSequence(Meter meter) {
        MeterDefinition definition = meter.definition();
        Map<String, List<String>> filters = new TreeMap<>();
        definition.propertyFilters().forEach((path, values) -> filters.put(path.dotted(), values));
        return new SequenceUsageMetric(meter.id().toString(), meter.accountId().toString(), definition.name(),
                definition.description(), SIMPLE, definition.eventName().value(),
                toSequence(definition.aggregation()), dotted(definition.valueProperty()), null, definition.unit(),
                filters, definition.propertiesToNegate().stream().map(PropertyPath::dotted).sorted().toList(),
                definition.caseSensitive(), List.of(), SequenceTimestamps.format(meter.createdAt()),
                meter.deleted().map(SequenceTimestamps::format).orElse(null));
    }

    static SequenceUsageMetricList toSequencePage(MeterPage page) {
        return new SequenceUsageMetricList(page.items().stream().map(SequenceMeterMapper::toSequence).toList(),
                new SequenceUsageEventList.Pagination(page.after(), page.before(), page.total()));
    }

    static MeterListQuery listQuery(String name, String eventType, String aggregationType, String limit,
            String after, String before) {
        return new MeterListQuery(blankToNull(name), blankToNull(eventType),
                toDomainAggregation(blankToNull(aggregationType)), limit(limit), blankToNull(after),
                blankToNull(before));
    }

    /**
     * The query of {@code calculate}: the whole period as one window. Days are read in the time zone and
     * {@code periodEnd} is inclusive (Sequence: "billing period end (inclusive)"): the period ends at the start of
     * the next day. An ISO instant is taken as it is, {@code periodEnd} then exclusive.
     */
    static MeterQuery calculateQuery(String customerAliases, String periodStart, String periodEnd, String timeZone,
            String asOf) {
        List<SequenceError.FieldMessage> errors = new ArrayList<>();
        ZoneId zone = zone(timeZone, errors);
        Instant from = bound("periodStart", periodStart, errors, bound -> bound.start(zone));
        Instant to = bound("periodEnd", periodEnd, errors, bound -> bound.endInclusiveDay(zone));
        Instant asOfInstant = asOf("asOf", asOf, errors);
        if (from != null && to != null && !from.isBefore(to)) {
            errors.add(new SequenceError.FieldMessage("periodEnd", "must not be before periodStart"));
        }
        if (!errors.isEmpty()) {
            throw SequenceApiException.invalid(errors);
        }
        return new MeterQuery(from, to, null, timeZone, aliases(customerAliases), false, List.of(), asOfInstant);
    }

    /**
     * The query of the {@code usage} extension: {@code from} inclusive, {@code to} exclusive (days are their first
     * instant in the time zone); {@code groupBy} lists property paths, comma-separated, and {@code customerAlias}
     * to group by customer.
     */
    static MeterQuery usageQuery(String from, String to, String windowSize, String timeZone, String customerAliases,
            String groupBy, String asOf) {
        List<SequenceError.FieldMessage> errors = new ArrayList<>();
        ZoneId zone = zone(timeZone, errors);
        Instant start = bound("from", from, errors, bound -> bound.start(zone));
        Instant end = bound("to", to, errors, bound -> bound.start(zone));
        Instant asOfInstant = asOf("asOf", asOf, errors);
        if (!errors.isEmpty()) {
            throw SequenceApiException.invalid(errors);
        }
        List<String> groups = split(groupBy);
        List<String> paths = groups.stream().filter(group -> !group.equals(GROUP_BY_CUSTOMER)).toList();
        return new MeterQuery(start, end, blankToNull(windowSize), timeZone, aliases(customerAliases),
                groups.contains(GROUP_BY_CUSTOMER), paths, asOfInstant);
    }

    static SequenceMetricCalculation calculation(MeterResult result) {
        MeterDefinition definition = result.meter().definition();
        MeterRow total = result.rows().isEmpty() ? null : result.rows().get(0);
        return new SequenceMetricCalculation(definition.name(), SIMPLE, definition.eventName().value(),
                toSequence(definition.aggregation()), total == null ? 0 : total.eventCount(),
                total == null ? null : total.value(), definition.unit(), id(result.firstEventId()),
                id(result.lastEventId()), result.ignoredEventCount());
    }

    static SequenceMetricUsage usage(MeterResult result, MeterQuery query) {
        List<SequenceMetricUsage.Row> rows = result.rows().stream()
                .map(row -> new SequenceMetricUsage.Row(SequenceTimestamps.format(row.windowStart()),
                        SequenceTimestamps.format(row.windowEnd()), row.customerId(),
                        row.groupBy() == null ? Map.of() : new LinkedHashMap<>(row.groupBy()), row.value(),
                        row.eventCount()))
                .toList();
        return new SequenceMetricUsage(result.meter().id().toString(), query.windowSize(),
                query.timeZone() == null || query.timeZone().isBlank() ? "UTC" : query.timeZone().trim(),
                SequenceTimestamps.format(query.from()), SequenceTimestamps.format(query.to()), rows,
                result.ignoredEventCount());
    }

    /** A domain refusal of a meter body, naming the fields as Sequence does ({@code valueProperty.x} too). */
    static SequenceApiException rejectedBody(InvalidInputException e) {
        return renamed(e, BODY_FIELDS);
    }

    /** A domain refusal of a query, naming the query parameters as the call names them. */
    static SequenceApiException rejectedQuery(InvalidInputException e, Map<String, String> names) {
        return renamed(e, names);
    }

    private static SequenceApiException renamed(InvalidInputException e, Map<String, String> names) {
        return SequenceApiException.invalid(e.errors().stream()
                .map(error -> new SequenceError.FieldMessage(rename(error.field(), names), error.message()))
                .toList());
    }

    /** Renames the first segment of a field path ({@code customerIds[3]} is {@code customerAliases[3]}). */
    static String rename(String field, Map<String, String> names) {
        int end = 0;
        while (end < field.length() && field.charAt(end) != '.' && field.charAt(end) != '[') {
            end++;
        }
        String head = field.substring(0, end);
        return names.getOrDefault(head, head) + field.substring(end);
    }

    private interface BoundReader {
        Instant read(PeriodBounds.Bound bound);
    }

    private static Instant bound(String field, String text, List<SequenceError.FieldMessage> errors,
            BoundReader reader) {
        if (text == null || text.isBlank()) {
            errors.add(new SequenceError.FieldMessage(field, "is required"));
            return null;
        }
        try {
            return reader.read(PeriodBounds.parse(text));
        } catch (IllegalArgumentException e) {
            errors.add(new SequenceError.FieldMessage(field, e.getMessage()));
            return null;
        }
    }

    private static ZoneId zone(String timeZone, List<SequenceError.FieldMessage> errors) {
        try {
            return PeriodBounds.zone(timeZone);
        } catch (IllegalArgumentException e) {
            errors.add(new SequenceError.FieldMessage("timeZone", e.getMessage()));
            return ZoneId.of("UTC");
        }
    }

    private static Instant asOf(String field, String text, List<SequenceError.FieldMessage> errors) {
        try {
            return PeriodBounds.instant(text).orElse(null);
        } catch (IllegalArgumentException e) {
            errors.add(new SequenceError.FieldMessage(field, e.getMessage()));
            return null;
        }
    }

    private static int limit(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text.trim());
            if (limit >= 1 && limit <= 100) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // refused below, as any number out of range
        }
        throw SequenceApiException.invalid("limit", "must be an integer from 1 to 100, got '"
                + PeriodBounds.abbreviate(text) + "'");
    }

    /** Customer aliases, comma-separated (empty: every customer). */
    private static List<String> aliases(String text) {
        return split(text);
    }

    private static List<String> split(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(String::trim).filter(part -> !part.isEmpty()).toList();
    }

    private static List<String> strings(JsonNode root, String field, List<SequenceError.FieldMessage> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            errors.add(new SequenceError.FieldMessage(field,
                    "must be an array of property paths (got " + JsonBody.typeOf(node) + ")"));
            return null;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (item.isTextual()) {
                values.add(item.textValue());
            } else {
                errors.add(new SequenceError.FieldMessage(field + "[" + i + "]",
                        "must be a string (got " + JsonBody.typeOf(item) + ")"));
            }
        }
        return values;
    }

    private static String dotted(PropertyPath path) {
        return path == null ? null : path.dotted();
    }

    private static String id(UUID id) {
        return id == null ? null : id.toString();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
