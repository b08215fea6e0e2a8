package dev.usageevents.grpc;

import com.google.protobuf.Timestamp;
import dev.usageevents.domain.model.FieldError;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.meter.MeterDefinition;
import dev.usageevents.domain.model.meter.PropertyPath;
import dev.usageevents.domain.port.in.MeterDraft;
import dev.usageevents.domain.port.in.MeterListQuery;
import dev.usageevents.domain.port.in.MeterPage;
import dev.usageevents.domain.port.in.MeterQuery;
import dev.usageevents.domain.port.in.MeterResult;
import dev.usageevents.domain.port.in.MeterRow;
import dev.usageevents.grpc.v1.ListMetersRequest;
import dev.usageevents.grpc.v1.ListMetersResponse;
import dev.usageevents.grpc.v1.Meter;
import dev.usageevents.grpc.v1.PropertyValues;
import dev.usageevents.grpc.v1.QueryMeterRequest;
import dev.usageevents.grpc.v1.QueryMeterResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The usage.v1 meter messages and the domain's meters, both ways. Empty proto3 strings of required fields are
 * absent (the domain then names them as required); values go out as exact decimal strings.
 */
final class MeterProtoMapper {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private MeterProtoMapper() {
    }

    static MeterDraft draft(dev.usageevents.grpc.v1.MeterDefinition meter) {
        Map<String, Object> filters = new LinkedHashMap<>();
        meter.getPropertyFiltersMap().forEach((path, values) -> filters.put(path, List.copyOf(values.getValuesList())));
        return new MeterDraft(emptyToNull(meter.getName()), emptyToNull(meter.getEventName()),
                emptyToNull(meter.getAggregation()), meter.hasValueProperty() ? meter.getValueProperty() : null,
                filters, List.copyOf(meter.getPropertiesToNegateList()),
                meter.hasCaseSensitive() ? meter.getCaseSensitive() : null,
                meter.hasUnit() ? meter.getUnit() : null, meter.hasDescription() ? meter.getDescription() : null);
    }

    static Meter meter(dev.usageevents.domain.model.meter.Meter meter) {
        MeterDefinition definition = meter.definition();
        dev.usageevents.grpc.v1.MeterDefinition.Builder proto = dev.usageevents.grpc.v1.MeterDefinition.newBuilder()
                .setName(definition.name())
                .setEventName(definition.eventName().value())
                .setAggregation(definition.aggregation().name())
                .setCaseSensitive(definition.caseSensitive());
        if (definition.valueProperty() != null) {
            proto.setValueProperty(definition.valueProperty().dotted());
        }
        Map<String, List<String>> filters = new TreeMap<>();
        definition.propertyFilters().forEach((path, values) -> filters.put(path.dotted(), values));
        filters.forEach((path, values) -> proto.putPropertyFilters(path,
                PropertyValues.newBuilder().addAllValues(values).build()));
        definition.propertiesToNegate().stream().map(PropertyPath::dotted).sorted()
                .forEach(proto::addPropertiesToNegate);
        if (definition.unit() != null) {
            proto.setUnit(definition.unit());
        }
        if (definition.description() != null) {
            proto.setDescription(definition.description());
        }
        Meter.Builder built = Meter.newBuilder().setId(meter.id().toString()).setDefinition(proto)
                .setCreateTime(timestamp(meter.createdAt()));
        meter.deleted().ifPresent(at -> built.setDeleteTime(timestamp(at)));
        return built.build();
    }

    static MeterListQuery listQuery(ListMetersRequest request) {
        if (request.hasLimit() && (request.getLimit() < 1 || request.getLimit() > 100)) {
            throw InvalidInputException.of("limit", "must be from 1 to 100 (got " + request.getLimit() + ")");
        }
        return new MeterListQuery(request.hasName() ? request.getName() : null,
                request.hasEventName() ? request.getEventName() : null,
                request.hasAggregation() ? request.getAggregation() : null,
                request.hasLimit() ? request.getLimit() : 20,
                request.hasAfter() ? request.getAfter() : null, request.hasBefore() ? request.getBefore() : null);
    }

    static ListMetersResponse page(MeterPage page) {
        ListMetersResponse.Builder response = ListMetersResponse.newBuilder().setTotal(page.total());
        page.items().forEach(meter -> response.addMeters(meter(meter)));
        if (page.after() != null) {
            response.setNextCursor(page.after());
        }
        if (page.before() != null) {
            response.setPreviousCursor(page.before());
        }
        return response.build();
    }

    /** The query, with the time fields checked here (a Timestamp out of range is named, not thrown). */
    static MeterQuery query(QueryMeterRequest request) {
        List<FieldError> errors = new ArrayList<>();
        Instant from = instant("from", request.hasFrom(), request.getFrom(), true, errors);
        Instant to = instant("to", request.hasTo(), request.getTo(), true, errors);
        Instant asOf = instant("asOf", request.hasAsOf(), request.getAsOf(), false, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new MeterQuery(from, to, request.hasWindowSize() ? request.getWindowSize() : null,
                request.hasTimeZone() ? request.getTimeZone() : null, request.getCustomerIdsList(),
                request.getGroupByCustomer(), request.getGroupByList(), asOf);
    }

    static QueryMeterResponse result(MeterResult result) {
        QueryMeterResponse.Builder response = QueryMeterResponse.newBuilder()
                .setIgnoredEventCount(result.ignoredEventCount());
        if (result.firstEventId() != null) {
            response.setFirstEventId(result.firstEventId().toString());
        }
        if (result.lastEventId() != null) {
            response.setLastEventId(result.lastEventId().toString());
        }
        for (MeterRow row : result.rows()) {
            dev.usageevents.grpc.v1.MeterRow.Builder proto = dev.usageevents.grpc.v1.MeterRow.newBuilder()
                    .setWindowStart(timestamp(row.windowStart())).setWindowEnd(timestamp(row.windowEnd()))
                    .setEventCount(row.eventCount());
            if (row.customerId() != null) {
                proto.setCustomerId(row.customerId());
            }
            if (row.groupBy() != null && !row.groupBy().isEmpty()) {
                proto.putAllGroupBy(StructValues.toStruct(new LinkedHashMap<>(row.groupBy())).getFieldsMap());
            }
            if (row.value() != null) {
                proto.setValue(row.value().toPlainString());
            }
            response.addRows(proto);
        }
        return response.build();
    }

    /** A meter id: a UUID in its usual 8-4-4-4-12 form. */
    static UUID meterId(String id) {
        if (id.isEmpty()) {
            throw InvalidInputException.of("id", "is required");
        }
        if (!UUID_TEXT.matcher(id).matches()) {
            throw InvalidInputException.of("id", "must be a UUID (got '" + (id.length() <= 64 ? id
                    : id.substring(0, 64) + "...") + "')");
        }
        return UUID.fromString(id);
    }

    private static Instant instant(String field, boolean present, Timestamp timestamp, boolean required,
            List<FieldError> errors) {
        if (!present) {
            if (required) {
                errors.add(FieldError.of(field, "is required"));
            }
            return null;
        }
        if (timestamp.getNanos() < 0 || timestamp.getNanos() > 999_999_999
                || timestamp.getSeconds() < Instant.MIN.getEpochSecond()
                || timestamp.getSeconds() > Instant.MAX.getEpochSecond()) {
            errors.add(FieldError.of(field, "is not a valid timestamp"));
            return null;
        }
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static String emptyToNull(String text) {
        return text.isEmpty() ? null : text;
    }
}
