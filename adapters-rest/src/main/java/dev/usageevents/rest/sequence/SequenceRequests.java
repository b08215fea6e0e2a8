package dev.usageevents.rest.sequence;

import static dev.usageevents.domain.model.FieldErrors.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.EventFilter;
import dev.usageevents.domain.model.EventId;
import dev.usageevents.domain.model.EventName;
import dev.usageevents.domain.model.FieldError;
import dev.usageevents.domain.model.FieldErrors;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.SortOrder;
import dev.usageevents.domain.port.in.EventDraft;
import dev.usageevents.domain.port.in.EventQuery;
import dev.usageevents.rest.common.JsonBody;
import dev.usageevents.rest.common.PeriodBounds;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sequence's requests to the domain: the JSON of a new event and the query of a list, read strictly, and the
 * domain's refusals named as Sequence names the fields ({@code customerAlias}, {@code customerEventId},
 * {@code eventType}, {@code eventTimestamp}, {@code eventProperties}; its exclusive time bounds).
 */
final class SequenceRequests {

    static final String CUSTOMER_ALIAS = "customerAlias";
    static final String CUSTOMER_EVENT_ID = "customerEventId";
    static final String EVENT_TYPE = "eventType";
    static final String EVENT_TIMESTAMP = "eventTimestamp";
    static final String EVENT_PROPERTIES = "eventProperties";
    static final String BODY = "body";

    /** The domain's field names as Sequence names them in a request body. */
    private static final Map<String, String> BODY_FIELDS = Map.of(
            CustomerId.FIELD, CUSTOMER_ALIAS,
            EventId.FIELD, CUSTOMER_EVENT_ID,
            EventName.FIELD, EVENT_TYPE,
            "timestamp", EVENT_TIMESTAMP);

    /** The domain's field names as Sequence names them in the query of a list. */
    private static final Map<String, String> QUERY_FIELDS = Map.of(
            CustomerId.FIELD, SequenceListParams.CUSTOMER_ALIAS,
            EventName.FIELD, SequenceListParams.EVENT_TYPE,
            EventId.FIELD, SequenceListParams.EVENT_ID,
            "from", SequenceListParams.EVENT_TIMESTAMP_AFTER,
            "to", SequenceListParams.EVENT_TIMESTAMP_BEFORE);

    private SequenceRequests() {
    }

    /**
     * Reads the body of {@code POST /api/usage-events}. Wrong JSON types are refused here, naming Sequence's
     * fields; the domain checks the values. Fields Sequence does not define are ignored, as its API ignores them.
     */
    static EventDraft toDraft(byte[] body) {
        JsonNode root = jsonObject(body);
        List<SequenceError.FieldMessage> errors = new ArrayList<>();
        String customerAlias = string(root, CUSTOMER_ALIAS, errors);
        String customerEventId = string(root, CUSTOMER_EVENT_ID, errors);
        String eventType = string(root, EVENT_TYPE, errors);
        String eventTimestamp = string(root, EVENT_TIMESTAMP, errors);
        Instant timestamp = null;
        if (eventTimestamp != null) {
            try {
                timestamp = SequenceTimestamps.parse(eventTimestamp);
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

    /**
     * A request body that must be a JSON object, as every Sequence POST and PUT sends: malformed JSON (400
     * MALFORMED_JSON) or another JSON type (400 invalid) is refused, naming the {@code body}.
     */
    static JsonNode jsonObject(byte[] body) {
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
        return root;
    }

    /** A string field, or null when absent or null; any other JSON type is an error of that field. */
    static String string(JsonNode root, String field, List<SequenceError.FieldMessage> errors) {
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
    static Optional<EventQuery> toQuery(SequenceListParams params) {
        List<FieldError> errors = new ArrayList<>();
        CustomerId customer = params.customerAlias() == null ? null
                : check(errors, () -> new CustomerId(params.customerAlias()));
        EventName name = params.eventType() == null ? null
                : check(errors, () -> new EventName(params.eventType()));
        EventId eventId = params.eventId() == null ? null : check(errors, () -> new EventId(params.eventId()));
        Instant after = queryTimestamp(SequenceListParams.EVENT_TIMESTAMP_AFTER, params.eventTimestampAfter(),
                errors);
        Instant before = queryTimestamp(SequenceListParams.EVENT_TIMESTAMP_BEFORE, params.eventTimestampBefore(),
                errors);
        SortOrder order = sortOrder(params.sortOrder(), errors);
        Integer limit = limit(params.limit(), errors);
        if (params.offset() != null && !params.offset().equals("0")) {
            errors.add(FieldError.of(SequenceListParams.OFFSET,
                    "is not supported: page with the after and before cursors"));
        }
        if (after != null && before != null && !after.isBefore(before)) {
            errors.add(FieldError.of(SequenceListParams.EVENT_TIMESTAMP_AFTER,
                    "must be earlier than eventTimestampBefore"));
        }
        FieldErrors.throwIfAny(errors);
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
            parsed = SequenceTimestamps.parse(text);
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
        errors.add(FieldError.of(SequenceListParams.SORT_ORDER,
                "must be ASC or DESC (got '" + PeriodBounds.abbreviate(text) + "')"));
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
        errors.add(FieldError.of(SequenceListParams.LIMIT,
                "must be an integer from 1 to " + EventQuery.MAX_LIMIT + " (got '" + PeriodBounds.abbreviate(text) + "')"));
        return EventQuery.DEFAULT_LIMIT;
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

    private static String badTimestamp(String text) {
        return "must be an ISO 8601 date and time with Z or an offset, e.g. 2022-10-01T00:00:00Z (got '"
                + PeriodBounds.abbreviate(text) + "')";
    }
}
