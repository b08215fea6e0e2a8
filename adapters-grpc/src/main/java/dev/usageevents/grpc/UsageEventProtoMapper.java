package dev.usageevents.grpc;

import static dev.usageevents.domain.model.FieldErrors.check;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.EventFilter;
import dev.usageevents.domain.model.EventId;
import dev.usageevents.domain.model.EventName;
import dev.usageevents.domain.model.FieldError;
import dev.usageevents.domain.model.FieldErrors;
import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.model.SortOrder;
import dev.usageevents.domain.model.SupersedeRule;
import dev.usageevents.domain.port.in.EventDraft;
import dev.usageevents.domain.port.in.EventPage;
import dev.usageevents.domain.port.in.EventQuery;
import dev.usageevents.domain.port.in.IngestCommand;
import dev.usageevents.grpc.v1.EventInput;
import dev.usageevents.grpc.v1.EventResult;
import dev.usageevents.grpc.v1.ListEventsRequest;
import dev.usageevents.grpc.v1.ListEventsResponse;
import dev.usageevents.grpc.v1.Outcome;
import dev.usageevents.grpc.v1.UsageEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The usage.v1 messages to and from the domain's commands, queries and events. Field names in errors are the
 * domain's; {@link FieldPaths} turns them into paths of the request. Only what the wire format allows and the
 * domain cannot see (an invalid Timestamp, a Struct value with no kind, an unknown enum number) is checked here;
 * every rule of the contract is the domain's.
 */
final class UsageEventProtoMapper {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private UsageEventProtoMapper() {
    }

    /** A batch of events under the request's rule; the events are checked by the domain when ingested. */
    static IngestCommand command(AccountId account, dev.usageevents.grpc.v1.SupersedeRule rule,
            List<EventInput> events) {
        List<FieldError> errors = new ArrayList<>();
        SupersedeRule domainRule = rule(rule, errors);
        List<EventDraft> drafts = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            List<FieldError> eventErrors = new ArrayList<>();
            drafts.add(draft(events.get(i), eventErrors));
            for (FieldError error : eventErrors) {
                errors.add(error.at(i));
            }
        }
        FieldErrors.throwIfAny(errors);
        return new IngestCommand(account, Source.GRPC, domainRule, drafts);
    }

    private static SupersedeRule rule(dev.usageevents.grpc.v1.SupersedeRule rule, List<FieldError> errors) {
        return switch (rule) {
            case SUPERSEDE_RULE_UNSPECIFIED, SUPERSEDE_RULE_LAST_WINS -> SupersedeRule.LAST_WINS;
            case SUPERSEDE_RULE_FIRST_WINS -> SupersedeRule.FIRST_WINS;
            case UNRECOGNIZED -> {
                errors.add(FieldError.of("supersedeRule", "is not a known supersede rule"));
                yield SupersedeRule.LAST_WINS;
            }
        };
    }

    private static EventDraft draft(EventInput input, List<FieldError> errors) {
        Instant timestamp = input.hasTimestamp() ? instant("timestamp", input.getTimestamp(), errors) : null;
        Map<String, Object> properties = input.hasProperties()
                ? StructValues.toMap(input.getProperties(), "properties", errors) : null;
        return new EventDraft(input.getCustomerId(), input.hasEventId() ? input.getEventId() : null,
                input.getEventName(), timestamp, properties);
    }

    private static Instant instant(String field, Timestamp timestamp, List<FieldError> errors) {
        if (!Timestamps.isValid(timestamp)) {
            errors.add(FieldError.of(field, "is not a valid Timestamp (seconds within years 1-9999, nanos 0-999999999)"));
            return null;
        }
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    /** The page request of a list call, with every bad field reported at once. */
    static EventQuery query(ListEventsRequest request) {
        List<FieldError> errors = new ArrayList<>();
        CustomerId customer = request.hasCustomerId() ? check(errors, () -> new CustomerId(request.getCustomerId())) : null;
        EventName name = request.hasEventName() ? check(errors, () -> new EventName(request.getEventName())) : null;
        EventId eventId = request.hasEventId() ? check(errors, () -> new EventId(request.getEventId())) : null;
        Instant from = request.hasStartTime() ? instant("from", request.getStartTime(), errors) : null;
        Instant to = request.hasEndTime() ? instant("to", request.getEndTime(), errors) : null;
        SortOrder order = switch (request.getSortOrder()) {
            case SORT_ORDER_UNSPECIFIED, SORT_ORDER_DESC -> SortOrder.DESC;
            case SORT_ORDER_ASC -> SortOrder.ASC;
            case UNRECOGNIZED -> {
                errors.add(FieldError.of("sortOrder", "is not a known sort order"));
                yield SortOrder.DESC;
            }
        };
        EventFilter filter = check(errors,
                () -> new EventFilter(customer, name, eventId, from, to, request.getIncludeSuperseded()));
        int limit = request.hasLimit() ? request.getLimit() : EventQuery.DEFAULT_LIMIT;
        String after = request.hasAfter() ? request.getAfter() : null;
        String before = request.hasBefore() ? request.getBefore() : null;
        EventQuery query = check(errors, () -> new EventQuery(
                filter == null ? EventFilter.ALL_CURRENT : filter, order, limit, after, before));
        FieldErrors.throwIfAny(errors);
        return query;
    }

    /** The id of a get call: a UUID in its usual 8-4-4-4-12 form. */
    static UUID eventId(String id) {
        if (id.isEmpty()) {
            throw InvalidInputException.of("id", "is required");
        }
        if (!UUID_TEXT.matcher(id).matches()) {
            throw InvalidInputException.of("id", "must be a UUID (got '" + id + "')");
        }
        return UUID.fromString(id);
    }

    static ListEventsResponse page(EventPage page) {
        ListEventsResponse.Builder response = ListEventsResponse.newBuilder().setTotal(page.total());
        page.items().forEach(e -> response.addEvents(event(e)));
        page.nextCursor().ifPresent(response::setNextCursor);
        page.previousCursor().ifPresent(response::setPreviousCursor);
        return response.build();
    }

    static EventResult result(IngestOutcome outcome) {
        EventResult.Builder result = EventResult.newBuilder()
                .setOutcome(switch (outcome.kind()) {
                    case CREATED -> Outcome.OUTCOME_CREATED;
                    case SUPERSEDED_PREVIOUS -> Outcome.OUTCOME_SUPERSEDED_PREVIOUS;
                    case DUPLICATE_IGNORED -> Outcome.OUTCOME_DUPLICATE_IGNORED;
                    case REPLAY -> Outcome.OUTCOME_REPLAY;
                })
                .setEvent(event(outcome.event()));
        outcome.superseded().ifPresent(id -> result.setSupersededId(id.toString()));
        return result.build();
    }

    static List<EventResult> results(List<IngestOutcome> outcomes) {
        return outcomes.stream().map(UsageEventProtoMapper::result).toList();
    }

    /**
     * A stored instant (whole milliseconds, years 2000 to 9999) as a Timestamp, built directly: protobuf's
     * {@code Timestamps.fromMillis} validates and normalises each one, which made it the dearest part of a stream's
     * acknowledgements.
     */
    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    static UsageEvent event(dev.usageevents.domain.model.UsageEvent e) {
        UsageEvent.Builder event = UsageEvent.newBuilder()
                .setId(e.id().toString())
                .setAccountId(e.accountId().toString())
                .setCustomerId(e.customerId().value())
                .setEventId(e.eventId().value())
                .setEventName(e.eventName().value())
                .setTimestamp(timestamp(e.timestamp()))
                .setProperties(StructValues.toStruct(e.properties().values()))
                .setSource(switch (e.source()) {
                    case MANTLE -> dev.usageevents.grpc.v1.Source.SOURCE_MANTLE;
                    case SEQUENCE -> dev.usageevents.grpc.v1.Source.SOURCE_SEQUENCE;
                    case GRPC -> dev.usageevents.grpc.v1.Source.SOURCE_GRPC;
                })
                .setReceivedAt(timestamp(e.receivedAt()));
        e.successor().ifPresent(successor -> event
                .setSupersededBy(successor.toString())
                .setSupersededAt(timestamp(e.supersededAt())));
        return event.build();
    }
}
