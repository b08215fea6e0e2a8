package dev.usageevents.rest.mantle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.EventFilter;
import dev.usageevents.domain.model.EventName;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.SortOrder;
import dev.usageevents.domain.port.in.EventDraft;
import dev.usageevents.domain.port.in.EventQuery;
import dev.usageevents.domain.port.in.IdentifyCommand;
import dev.usageevents.rest.common.JsonBody;
import dev.usageevents.rest.mantle.MantleError.FieldDetail;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Mantle's requests to the domain's commands and queries. Vendor quirks end here: the field aliases
 * ({@code event_id}, {@code event_name}, {@code customer_id}), timestamps as epoch milliseconds or ISO 8601
 * strings, the customer a token stands for, and the names of fields in errors ({@code events[7].eventName}).
 * The OpenAPI document describes these bodies with {@link MantleRequestSchemas}.
 */
final class MantleRequests {

    static final String EVENTS = "events";
    private static final List<String> EVENT_FIELDS = List.of("customerId", "customer_id", "eventId", "event_id",
            "eventName", "event_name", "timestamp", "properties");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?\\d{1,4}");

    private MantleRequests() {
    }

    static MantleEvents events(JsonNode body, MantleCaller caller) {
        if (!body.isObject()) {
            throw new MantleApiException(400,
                    "The request body must be a JSON object: one event, or {\"events\": [...]} (got "
                            + JsonBody.typeOf(body) + ")");
        }
        MantleProblems problems = new MantleProblems();
        List<EventDraft> drafts = new ArrayList<>();
        JsonNode events = body.get(EVENTS);
        if (events == null) {
            drafts.add(draft(body, "", caller, problems));
            problems.throwIfAny();
            return new MantleEvents(drafts, false);
        }
        List<String> mixed = EVENT_FIELDS.stream().filter(body::has).toList();
        if (!mixed.isEmpty()) {
            problems.malformed(EVENTS, "cannot come with top-level event fields " + mixed
                    + ": send one event, or events[]");
        }
        if (!events.isArray()) {
            problems.malformed(EVENTS, "must be an array of events (got " + JsonBody.typeOf(events) + ")");
            problems.throwIfAny();
        }
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            String path = EVENTS + "[" + i + "]";
            if (event.isObject()) {
                drafts.add(draft(event, path + ".", caller, problems));
            } else {
                problems.malformed(path, "must be an object (got " + JsonBody.typeOf(event) + ")");
            }
        }
        problems.throwIfAny();
        return new MantleEvents(drafts, true);
    }

    private static EventDraft draft(JsonNode event, String prefix, MantleCaller caller, MantleProblems problems) {
        String customerId = aliased(event, prefix, "customerId", "customer_id", problems);
        String eventId = aliased(event, prefix, "eventId", "event_id", problems);
        String eventName = aliased(event, prefix, "eventName", "event_name", problems);
        Instant timestamp = instant(event.get("timestamp"), prefix + "timestamp", problems);
        Map<String, Object> properties = object(event.get("properties"), prefix + "properties", problems);
        if (caller.customer().isPresent()) {
            String own = caller.customer().get().value();
            if (customerId == null) {
                customerId = own;
            } else if (!customerId.equals(own)) {
                problems.forbidden(prefix + "customerId",
                        "names another customer than the one of the " + MantleAuthenticator.CUSTOMER_TOKEN);
            }
        }
        return new EventDraft(customerId, eventId, eventName, timestamp, properties);
    }

    /** The domain's errors of an ingest, with Mantle's paths: {@code events[7].eventName}, or {@code eventName}. */
    static MantleApiException invalidEvents(InvalidInputException e, boolean batch) {
        return MantleApiException.fields(422, e.errors().stream()
                .map(error -> new FieldDetail(batch ? error.path(EVENTS) : error.field(), error.message()))
                .toList());
    }

    static IdentifyCommand identify(JsonNode body) {
        if (!body.isObject()) {
            throw new MantleApiException(400, "The request body must be a JSON object (got "
                    + JsonBody.typeOf(body) + ")");
        }
        MantleProblems problems = new MantleProblems();
        IdentifyCommand command = new IdentifyCommand(
                string(body.get("platform"), "platform", problems),
                string(body.get("platformId"), "platformId", problems),
                string(body.get("myshopifyDomain"), "myshopifyDomain", problems),
                string(body.get("name"), "name", problems),
                string(body.get("email"), "email", problems),
                string(body.get("platformPlanName"), "platformPlanName", problems),
                object(body.get("customFields"), "customFields", problems),
                instant(body.get("createdAt"), "createdAt", problems),
                flag(body.get("rotateApiToken"), "rotateApiToken", problems));
        problems.throwIfAny();
        return command;
    }

    /** The domain's errors of an identify: their fields are the request's. */
    static MantleApiException invalidIdentify(InvalidInputException e) {
        return MantleApiException.fields(422,
                e.errors().stream().map(error -> new FieldDetail(error.field(), error.message())).toList());
    }

    /**
     * The query of {@code GET /v1/usage_events}, newest first. Every problem with a query parameter is a 400;
     * a customer token confines the list to its customer (naming another one is a 403).
     */
    static EventQuery listQuery(MantleCaller caller, String customerId, String eventName, String startDate,
            String endDate, String cursor, String take) {
        MantleProblems problems = new MantleProblems();
        CustomerId customer = problems.check(() -> customerId == null ? null : new CustomerId(customerId));
        if (caller.customer().isPresent()) {
            if (customer != null && !customer.equals(caller.customer().get())) {
                problems.forbidden("customerId",
                        "names another customer than the one of the " + MantleAuthenticator.CUSTOMER_TOKEN);
            }
            customer = caller.customer().get();
        }
        EventName name = problems.check(() -> eventName == null ? null : new EventName(eventName));
        Instant from = bound(startDate, "startDate", false, problems);
        Instant to = bound(endDate, "endDate", true, problems);
        int limit = take(take, problems);
        if (from != null && to != null && from.isAfter(to)) {
            problems.malformed("startDate", "must not be after endDate");
        }
        if (cursor != null && cursor.isEmpty()) {
            problems.malformed("cursor", "must not be empty");
        }
        problems.throwIfAny();
        EventFilter filter = new EventFilter(customer, name, null, from, to, false);
        return new EventQuery(filter, SortOrder.DESC, limit, cursor, null);
    }

    /** A list error of the domain (an unknown cursor), named as the query parameter. */
    static MantleApiException invalidQuery(InvalidInputException e) {
        return MantleApiException.fields(400, e.errors().stream()
                .map(error -> new FieldDetail(error.field().equals("after") ? "cursor" : error.field(),
                        error.message()))
                .toList());
    }

    private static int take(String take, MantleProblems problems) {
        if (take == null) {
            return EventQuery.DEFAULT_LIMIT;
        }
        Integer limit = WHOLE_NUMBER.matcher(take).matches() ? Integer.valueOf(take) : null;
        if (limit == null || limit < 1 || limit > EventQuery.MAX_LIMIT) {
            problems.malformed("take", "must be a whole number from 1 to " + EventQuery.MAX_LIMIT);
            return EventQuery.DEFAULT_LIMIT;
        }
        return limit;
    }

    /** A bound of the time range, inclusive (see {@link MantleTimestamps#bound}). */
    private static Instant bound(String value, String field, boolean end, MantleProblems problems) {
        if (value == null) {
            return null;
        }
        Instant bound = MantleTimestamps.bound(value, end);
        if (bound == null) {
            problems.malformed(field, "must be an ISO 8601 date-time with a zone, a date, or epoch milliseconds");
            return null;
        }
        return problems.check(() -> EventFilter.checkBound(field, bound));
    }

    private static Instant instant(JsonNode node, String path, MantleProblems problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return epochMillis(node.decimalValue(), path, problems);
        }
        if (!node.isTextual()) {
            problems.malformed(path, "must be epoch milliseconds or an ISO 8601 string (got "
                    + JsonBody.typeOf(node) + ")");
            return null;
        }
        Instant instant = MantleTimestamps.parse(node.textValue());
        if (instant == null) {
            problems.invalid(path, "must be epoch milliseconds or an ISO 8601 date-time with a zone, "
                    + "e.g. 2024-03-01T17:47:04.000Z");
        }
        return instant;
    }

    private static Instant epochMillis(BigDecimal value, String path, MantleProblems problems) {
        if (value.stripTrailingZeros().scale() > 0) {
            problems.invalid(path, "must be whole epoch milliseconds");
            return null;
        }
        try {
            return Instant.ofEpochMilli(value.longValueExact());
        } catch (ArithmeticException | DateTimeException e) {
            problems.invalid(path, "is out of range");
            return null;
        }
    }

    private static String aliased(JsonNode event, String prefix, String name, String alias,
            MantleProblems problems) {
        String value = string(event.get(name), prefix + name, problems);
        String aliasValue = string(event.get(alias), prefix + alias, problems);
        if (value != null && aliasValue != null && !value.equals(aliasValue)) {
            problems.malformed(prefix + name, "and " + alias + " differ: send one of them");
        }
        return value != null ? value : aliasValue;
    }

    private static String string(JsonNode node, String path, MantleProblems problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            problems.malformed(path, "must be a string (got " + JsonBody.typeOf(node) + ")");
            return null;
        }
        return node.textValue();
    }

    private static Map<String, Object> object(JsonNode node, String path, MantleProblems problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            problems.malformed(path, "must be a JSON object (got " + JsonBody.typeOf(node) + ")");
            return null;
        }
        return JsonBody.toMap(node);
    }

    private static boolean flag(JsonNode node, String path, MantleProblems problems) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            problems.malformed(path, "must be a boolean (got " + JsonBody.typeOf(node) + ")");
            return false;
        }
        return node.booleanValue();
    }
}
