package dev.usageevents.rest.sequence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.EventFilter;
import dev.usageevents.domain.model.EventId;
import dev.usageevents.domain.model.EventName;
import dev.usageevents.domain.model.FieldError;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.SortOrder;
import dev.usageevents.domain.model.UsageEvent;
import dev.usageevents.domain.port.in.EventDraft;
import dev.usageevents.domain.port.in.EventPage;
import dev.usageevents.domain.port.in.EventQuery;
import dev.usageevents.rest.common.JsonBody;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sequence's JSON and query parameters to the domain and back. Every Sequence quirk ends here: its field names
 * ({@code customerAlias}, {@code customerEventId}, {@code eventType}, {@code eventTimestamp},
 * {@code eventProperties}), its ISO 8601 timestamps and its exclusive time bounds.
 */
final class SequenceMapper {

    static final String CUSTOMER_ALIAS = "customerAlias";
    static final String CUSTOMER_EVENT_ID = "customerEventId";
    static final String EVENT_TYPE = "eventType";
    static final String EVENT_TIMESTAMP = "eventTimestamp";
    static final String EVENT_PROPERTIES = "eventProperties";
    static final String BODY = "body";

    /** ISO 8601 date and time with {@code Z} or an offset ({@code +02:00}, {@code +0200}, {@code +02}). */
    static final DateTimeFormatter ISO_8601 = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .appendPattern("[XXXXX][XXXX][X]")
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT)
            .withChronology(IsoChronology.INSTANCE);

    /** The domain's field names as Sequence names them in a request body. */
    private static final Map<String, String> BODY_FIELDS = Map.of(
            CustomerId.FIELD, CUSTOMER_ALIAS,
            EventId.FIELD, CUSTOMER_EVENT_ID,
            EventName.FIELD, EVENT_TYPE,
            "timestamp", EVENT_TIMESTAMP);

    /** The domain's field names as Sequence names them in the query of a list. */
    private static final Map<String, String> QUERY_FIELDS = Map.of(
            CustomerId.FIELD, ListParams.CUSTOMER_ALIAS,
            EventName.FIELD, ListParams.EVENT_TYPE,
            EventId.FIELD, ListParams.EVENT_ID,
            "from", ListParams.EVENT_TIMESTAMP_AFTER,
            "to", ListParams.EVENT_TIMESTAMP_BEFORE);

    private SequenceMapper() {
    }

    /**
     * The query parameters of {@code GET /api/usage-events}, as sent; any of them may be null. An empty value
     * ({@code ?customerAlias=}) is no value, as clients that build URLs from optional filters send it.
     */
    record ListParams(String customerAlias, String eventType, String eventId, String eventTimestampAfter,
            String eventTimestampBefore, String sortOrder, String limit, String after, String before,
            String offset) {

        ListParams {
            customerAlias = given(customerAlias);
            eventType = given(eventType);
            eventId = given(eventId);
            eventTimestampAfter = given(eventTimestampAfter);
            eventTimestampBefore = given(eventTimestampBefore);
            sortOrder = given(sortOrder);
            limit = given(limit);
            after = given(after);
            before = given(before);
            offset = given(offset);
        }

        private static String given(String value) {
            return value == null || value.isEmpty() ? null : value;
        }

        static final String CUSTOMER_ALIAS = "customerAlias";
        static final String EVENT_TYPE = "eventType";
        static final String EVENT_ID = "eventId";
        static final String EVENT_TIMESTAMP_AFTER = "eventTimestampAfter";
        static final String EVENT_TIMESTAMP_BEFORE = "eventTimestampBefore";
        static final String SORT_ORDER = "sortOrder";
        static final String LIMIT = "limit";
        static final String OFFSET = "offset";
    }

    /**
     * Reads the body of {@code POST /api/usage-events}. Wrong JSON types are refused here, naming Sequence's
     * fields; the domain checks the values. Fields Sequence does not define are ignored, as its API ignores them.
     */
    static EventDraft toDraft(byte[] body) {
        JsonNode root;
        try {
            root = JsonBody.parse(body);
        } catch (JsonBody.MalformedJsonException e) {
            throw new SequenceApiException(400, SequenceApiException.MALFORMED_JSON, e.getMessage(),
                    List.of(new SequenceError.FieldMessage(BODY, e.getMessage())));
        }
        if (!root.isObject()) {
            throw SequenceApiException.invalid(BODY, "must be a JSON object (got " + JsonBody.typeOf(root) + ")");
        }
        List<SequenceError.FieldMessage> errors = new ArrayList<>();
        String customerAlias = string(root, CUSTOMER_ALIAS, errors);
        String customerEventId = string(root, CUSTOMER_EVENT_ID, errors);
        String eventType = string(root, EVENT_TYPE, errors);
        String eventTimestamp = string(root, EVENT_TIMESTAMP, errors);
        Instant timestamp = null;
        if (eventTimestamp != null) {
            try {
                timestamp = parseTimestamp(eventTimestamp);
            } catch (DateTimeParseException e) {
                errors.add(new SequenceError.FieldMessage(EVENT_TIMESTAMP, badTimestamp(eventTimestamp)));
            }
        }
        JsonNode properties = root.get(EVENT_PROPERTIES);
        boolean noProperties = properties == null || properties.isNull();
        if (!noProperties && !properties.isObject()) {
            errors.add(new SequenceError.FieldMessage(EVENT_PROPERTIES,
                    "must be a JSON object (got " + JsonBody.typeOf(properties) + ")"));
        }
        if (!errors.isEmpty()) {
            throw SequenceApiException.invalid(errors);
        }
        return new EventDraft(customerAlias, customerEventId, eventType, timestamp,
                noProperties ? Map.of() : JsonBody.toMap(properties));
    }

    /** A string field, or null when absent or null; any other JSON type is an error of that field. */
    private static String string(JsonNode root, String field, List<SequenceError.FieldMessage> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new SequenceError.FieldMessage(field, "must be a string (got " + JsonBody.typeOf(node) + ")"));
            return null;
        }
        return node.textValue();
    }

    /**
     * The query of a list. Sequence's time bounds are exclusive; the domain's are inclusive and millisecond
     * precise (the precision of stored events): after X is from the first millisecond past X, before Y is up to
     * the last millisecond short of Y. Empty when no millisecond lies between the two bounds.
     */
    static Optional<EventQuery> toQuery(ListParams params) {
        List<FieldError> errors = new ArrayList<>();
        CustomerId customer = params.customerAlias() == null ? null
                : check(errors, () -> new CustomerId(params.customerAlias()));
        EventName name = params.eventType() == null ? null
                : check(errors, () -> new EventName(params.eventType()));
        EventId eventId = params.eventId() == null ? null : check(errors, () -> new EventId(params.eventId()));
        Instant after = queryTimestamp(ListParams.EVENT_TIMESTAMP_AFTER, params.eventTimestampAfter(), errors);
        Instant before = queryTimestamp(ListParams.EVENT_TIMESTAMP_BEFORE, params.eventTimestampBefore(), errors);
        SortOrder order = sortOrder(params.sortOrder(), errors);
        Integer limit = limit(params.limit(), errors);
        if (params.offset() != null && !params.offset().equals("0")) {
            errors.add(FieldError.of(ListParams.OFFSET, "is not supported: page with the after and before cursors"));
        }
        if (after != null && before != null && !after.isBefore(before)) {
            errors.add(FieldError.of(ListParams.EVENT_TIMESTAMP_AFTER, "must be earlier than eventTimestampBefore"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Instant from = after == null ? null : after.truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
        Instant to = before == null ? null : before.minusNanos(1).truncatedTo(ChronoUnit.MILLIS);
        if (from != null && to != null && from.isAfter(to)) {
            return Optional.empty();
        }
        EventFilter filter = new EventFilter(customer, name, eventId, from, to, false);
        return Optional.of(new EventQuery(filter, order, limit, params.after(), params.before()));
    }

    private static Instant queryTimestamp(String field, String text, List<FieldError> errors) {
        if (text == null) {
            return null;
        }
        Instant parsed;
        try {
            parsed = parseTimestamp(text);
        } catch (DateTimeParseException e) {
            errors.add(FieldError.of(field, badTimestamp(text)));
            return null;
        }
        return check(errors, () -> EventFilter.checkBound(field, parsed));
    }

    private static SortOrder sortOrder(String text, List<FieldError> errors) {
        if (text == null) {
            return SortOrder.DESC;
        }
        for (SortOrder order : SortOrder.values()) {
            if (order.name().equalsIgnoreCase(text)) {
                return order;
            }
        }
        errors.add(FieldError.of(ListParams.SORT_ORDER, "must be ASC or DESC (got '" + abbreviate(text) + "')"));
        return SortOrder.DESC;
    }

    private static Integer limit(String text, List<FieldError> errors) {
        if (text == null) {
            return EventQuery.DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= EventQuery.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below, as for a number out of range
        }
        errors.add(FieldError.of(ListParams.LIMIT,
                "must be an integer from 1 to " + EventQuery.MAX_LIMIT + " (got '" + abbreviate(text) + "')"));
        return EventQuery.DEFAULT_LIMIT;
    }

    private static <T> T check(List<FieldError> errors, Supplier<T> valueObject) {
        try {
            return valueObject.get();
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
            return null;
        }
    }

    static SequenceUsageEvent toSequence(UsageEvent event) {
        return new SequenceUsageEvent(event.id().toString(), event.eventId().value(), event.customerId().value(),
                event.eventName().value(), event.accountId().toString(), formatTimestamp(event.timestamp()),
                event.properties().values());
    }

    static SequenceUsageEventList toSequence(EventPage page) {
        return new SequenceUsageEventList(page.items().stream().map(SequenceMapper::toSequence).toList(),
                new SequenceUsageEventList.Pagination(page.after(), page.before(), page.total()));
    }

    static SequenceUsageEventList emptyList() {
        return new SequenceUsageEventList(List.of(), new SequenceUsageEventList.Pagination(null, null, 0));
    }

    /** A domain refusal of a request body, naming the fields as Sequence does. */
    static SequenceApiException rejectedBody(InvalidInputException e) {
        return SequenceApiException.invalid(e.errors().stream()
                .map(error -> new SequenceError.FieldMessage(bodyField(error.field()), error.message()))
                .toList());
    }

    /** A domain refusal of a list query, naming the query parameters as Sequence does. */
    static SequenceApiException rejectedQuery(InvalidInputException e) {
        return SequenceApiException.invalid(e.errors().stream()
                .map(error -> new SequenceError.FieldMessage(
                        QUERY_FIELDS.getOrDefault(error.field(), error.field()), error.message()))
                .toList());
    }

    /** {@code properties.a.b} is {@code eventProperties.a.b}; the other fields are renamed one to one. */
    static String bodyField(String domainField) {
        if (domainField.equals("properties") || domainField.startsWith("properties.")
                || domainField.startsWith("properties[")) {
            return EVENT_PROPERTIES + domainField.substring("properties".length());
        }
        return BODY_FIELDS.getOrDefault(domainField, domainField);
    }

    static Instant parseTimestamp(String text) {
        Instant common = parseCommonTimestamp(text);
        return common != null ? common : OffsetDateTime.parse(text, ISO_8601).toInstant();
    }

    /**
     * The usual shape, {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|±hh:mm)}, read without a formatter (the formatter
     * was a visible share of the event loop's time per event: bench/RESULTS.md); null for anything else, which the
     * formatter then reads or refuses. Gives the formatter's result for every text it accepts (SequenceMapperTest compares both).
     */
    static Instant parseCommonTimestamp(String text) {
        int length = text.length();
        if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || (text.charAt(10) | 0x20) != 't'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int at = 19;
        int nanos = 0;
        if (text.charAt(at) == '.') {
            int start = ++at;
            while (at < length && at - start < 9 && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
                nanos = nanos * 10 + (text.charAt(at++) - '0');
            }
            if (at == start) {
                return null;
            }
            for (int n = at - start; n < 9; n++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (at == length - 1 && (text.charAt(at) | 0x20) == 'z') {
            offsetSeconds = 0;
        } else if (at == length - 6 && (text.charAt(at) == '+' || text.charAt(at) == '-')
                && text.charAt(at + 3) == ':') {
            int hours = digits(text, at + 1, 2);
            int minutes = digits(text, at + 4, 2);
            if (hours < 0 || minutes < 0 || hours > 18 || minutes > 59 || (hours == 18 && minutes > 0)) {
                return null;
            }
            offsetSeconds = (text.charAt(at) == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
        } else {
            return null;
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds,
                nanos);
    }

    /** The number written with {@code count} ASCII digits at {@code start}, or -1. */
    private static int digits(String text, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** UTC with {@code Z}; milliseconds only when not zero: {@code 2022-10-01T00:00:00Z}, {@code ...00.250Z}. */
    static String formatTimestamp(Instant timestamp) {
        return DateTimeFormatter.ISO_INSTANT.format(timestamp.truncatedTo(ChronoUnit.MILLIS));
    }

    private static String badTimestamp(String text) {
        return "must be an ISO 8601 date and time with Z or an offset, e.g. 2022-10-01T00:00:00Z (got '"
                + abbreviate(text) + "')";
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
