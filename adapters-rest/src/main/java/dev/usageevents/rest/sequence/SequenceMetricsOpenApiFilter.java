package dev.usageevents.rest.sequence;

import static dev.usageevents.rest.sequence.SequenceOpenApi.error;
import static dev.usageevents.rest.sequence.SequenceOpenApi.json;
import static dev.usageevents.rest.sequence.SequenceOpenApi.nullableString;
import static dev.usageevents.rest.sequence.SequenceOpenApi.object;
import static dev.usageevents.rest.sequence.SequenceOpenApi.ref;
import static dev.usageevents.rest.sequence.SequenceOpenApi.response;
import static dev.usageevents.rest.sequence.SequenceOpenApi.string;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * The OpenAPI description of Sequence's usage-metrics operations ({@link SequenceUsageMetricsResource}), beside
 * {@link SequenceOpenApiFilter}'s of the usage events, whose security scheme and error schema it refers to: the
 * metric, list, calculation and usage schemas, every parameter, examples, and each error status.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class SequenceMetricsOpenApiFilter implements OASFilter {

    private static final String METRIC = "SequenceUsageMetric";
    private static final String NEW_METRIC = "SequenceNewUsageMetric";
    private static final String METRIC_LIST = "SequenceUsageMetricList";
    private static final String CALCULATION = "SequenceUsageMetricCalculation";
    private static final String USAGE = "SequenceUsageMetricUsage";
    private static final String USAGE_ROW = "SequenceUsageMetricUsageRow";
    private static final String PAGINATION = "SequencePagination";
    private static final String UNAUTHORIZED = "Missing or invalid Basic credentials";
    private static final String NOT_FOUND = "No live usage metric with this id in the account";

    static final String NEW_METRIC_EXAMPLE = """
            {
              "name": "Characters sent",
              "metricType": "SIMPLE",
              "eventType": "message-sent",
              "aggregationType": "SUM",
              "aggregationProperty": "length",
              "unit": "characters",
              "propertyFilters": {"type": ["text_message", "email"]},
              "propertiesToNegate": [],
              "caseSensitive": true,
              "description": "Characters of text messages and emails"
            }""";
    static final String METRIC_EXAMPLE = """
            {
              "id": "01901c70-0b5e-7a3d-8c7f-2d9e1a4b6c20",
              "sequenceAccountId": "0184421e-a9cc-711b-af93-bf0511d4d833",
              "name": "Characters sent",
              "description": "Characters of text messages and emails",
              "metricType": "SIMPLE",
              "eventType": "message-sent",
              "aggregationType": "SUM",
              "aggregationProperty": "length",
              "groupingProperty": null,
              "unit": "characters",
              "propertyFilters": {"type": ["text_message", "email"]},
              "propertiesToNegate": [],
              "caseSensitive": true,
              "parameters": [],
              "createdAt": "2024-07-30T09:00:00Z",
              "deletedAt": null
            }""";
    static final String CALCULATION_EXAMPLE = """
            {
              "name": "Characters sent",
              "metricType": "SIMPLE",
              "eventType": "message-sent",
              "aggregationType": "SUM",
              "eventCount": 3,
              "value": 1250.5,
              "unit": "characters",
              "minEventId": "0184421a-8202-70ea-a729-30308a40bbf7",
              "maxEventId": "0184421a-9a11-7c3e-8f21-0a4b5c6d7e8f",
              "ignoredEventCount": 0
            }""";
    static final String USAGE_EXAMPLE = """
            {
              "metricId": "01901c70-0b5e-7a3d-8c7f-2d9e1a4b6c20",
              "windowSize": "DAY",
              "timeZone": "Europe/Berlin",
              "from": "2024-03-30T23:00:00Z",
              "to": "2024-04-01T22:00:00Z",
              "data": [
                {"windowStart": "2024-03-30T23:00:00Z", "windowEnd": "2024-03-31T22:00:00Z",
                 "customerAlias": "acme", "groupBy": {}, "value": 500, "eventCount": 1},
                {"windowStart": "2024-03-31T22:00:00Z", "windowEnd": "2024-04-01T22:00:00Z",
                 "customerAlias": "acme", "groupBy": {}, "value": 0, "eventCount": 0}
              ],
              "ignoredEventCount": 0
            }""";
    static final String USAGE_CSV_EXAMPLE = "windowStart,windowEnd,customerAlias,value,eventCount\r\n"
            + "2024-03-30T23:00:00Z,2024-03-31T22:00:00Z,acme,500,1\r\n"
            + "2024-03-31T22:00:00Z,2024-04-01T22:00:00Z,acme,0,0\r\n";
    static final String CONFLICT_EXAMPLE = """
            {"error": {"type": "Conflict", "message": "a meter named 'Characters sent' already exists",
              "errors": [{"field": "name", "message": "a meter named 'Characters sent' already exists"}]}}""";
    static final String INVALID_EXAMPLE = """
            {"error": {"type": "ValidationError", "message": "aggregationType: CUSTOM is not supported: use COUNT, \
            UNIQUE, SUM, MIN, MAX, AVG or LATEST",
              "errors": [{"field": "aggregationType", "message": "CUSTOM is not supported: use COUNT, UNIQUE, SUM, \
            MIN, MAX, AVG or LATEST"}]}}""";

    private static final Map<String, String> PARAMETERS = Map.ofEntries(
            Map.entry("limit", "Page size, 1 to 100 (default 20)"),
            Map.entry("after", "Cursor: the page after the one whose pagination.after this is"),
            Map.entry("before", "Cursor: the page before the one whose pagination.before this is"),
            Map.entry("name", "Only the metric of this name"),
            Map.entry("eventType", "Only metrics of this event type"),
            Map.entry("aggregationType", "Only metrics of this aggregation type (COUNT, UNIQUE, SUM, ...)"),
            Map.entry("customerAliases", "Customer aliases, comma-separated, at most 100 (default: every customer)"),
            Map.entry("periodStart", "First day of the billing period (2024-01-01), in timeZone; or an ISO 8601 "
                    + "instant"),
            Map.entry("periodEnd", "Last day of the billing period, inclusive (2024-01-31: up to the end of that "
                    + "day, in timeZone); or an ISO 8601 instant, then exclusive"),
            Map.entry("timeZone", "IANA time zone of the days and windows, e.g. Europe/Berlin (default UTC)"),
            Map.entry("asOf", "ISO 8601 instant: the answer as it was then (versions received before it, superseded "
                    + "only if superseded before it)"),
            Map.entry("from", "Start, inclusive: an ISO 8601 instant, or a day (its first instant in timeZone)"),
            Map.entry("to", "End, exclusive: an ISO 8601 instant, or a day (its first instant in timeZone)"),
            Map.entry("windowSize", "MINUTE, HOUR, DAY, WEEK (ISO, from Monday) or MONTH (default: one window)"),
            Map.entry("groupBy", "Comma-separated: customerAlias to group by customer, and up to 5 property paths "
                    + "(e.g. model,usage.tier)"));

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        addComponents(openAPI.getComponents());
        if (openAPI.getPaths() == null) {
            return;
        }
        PathItem metrics = openAPI.getPaths().getPathItem("/api/usage-metrics");
        PathItem metric = openAPI.getPaths().getPathItem("/api/usage-metrics/{id}");
        PathItem calculate = openAPI.getPaths().getPathItem("/api/usage-metrics/{id}/calculate");
        PathItem usage = openAPI.getPaths().getPathItem("/api/usage-metrics/{id}/usage");
        if (metrics != null && metrics.getPOST() != null) {
            describe(metrics.getPOST(), "Defines a usage metric (a meter: account-wide, it serves the Mantle and "
                    + "gRPC APIs too). aggregationType: COUNT (no aggregationProperty), UNIQUE (distinct values), "
                    + "SUM, and this service's MIN, MAX, AVG, LATEST; CUSTOM is not supported, nor GROUPED metrics "
                    + "(group at query time with the usage extension).")
                    .requestBody(OASFactory.createRequestBody().required(true)
                            .content(json(ref(NEW_METRIC), json(NEW_METRIC_EXAMPLE))))
                    .responses(responses()
                            .addAPIResponse("201", response("Created", json(ref(METRIC), json(METRIC_EXAMPLE))))
                            .addAPIResponse("400", error("Not JSON, a wrong type, a missing or invalid field "
                                    + "(e.g. COUNT with an aggregationProperty, SUM without one, CUSTOM)",
                                    INVALID_EXAMPLE))
                            .addAPIResponse("401", error(UNAUTHORIZED, null))
                            .addAPIResponse("409", error("A live metric of the account has this name",
                                    CONFLICT_EXAMPLE)));
        }
        if (metrics != null && metrics.getGET() != null) {
            describe(metrics.getGET(), "Live usage metrics of the account, oldest first.")
                    .responses(responses()
                            .addAPIResponse("200", response("A page of metrics", json(ref(METRIC_LIST), null)))
                            .addAPIResponse("400", error("An invalid limit or cursor", null))
                            .addAPIResponse("401", error(UNAUTHORIZED, null)));
        }
        if (metric != null && metric.getGET() != null) {
            describe(metric.getGET(), "A live usage metric of the account.")
                    .responses(found("The metric", json(ref(METRIC), json(METRIC_EXAMPLE))));
        }
        if (metric != null && metric.getPUT() != null) {
            describe(metric.getPUT(), "Replaces the whole definition of a live usage metric.")
                    .requestBody(OASFactory.createRequestBody().required(true)
                            .content(json(ref(NEW_METRIC), json(NEW_METRIC_EXAMPLE))))
                    .responses(found("The metric as replaced", json(ref(METRIC), json(METRIC_EXAMPLE)))
                            .addAPIResponse("400", error("Not JSON, a wrong type, a missing or invalid field",
                                    INVALID_EXAMPLE))
                            .addAPIResponse("409", error("Another live metric of the account has this name",
                                    CONFLICT_EXAMPLE)));
        }
        if (metric != null && metric.getDELETE() != null) {
            describe(metric.getDELETE(), "Deletes a usage metric: it keeps its id and is absent (404) from then "
                    + "on. Answers the metric with deletedAt set.")
                    .responses(found("The deleted metric", json(ref(METRIC), null)));
        }
        if (calculate != null && calculate.getGET() != null) {
            describe(calculate.getGET(), "The metric's value over a billing period: periodStart and periodEnd are "
                    + "days, periodEnd inclusive, in timeZone (default UTC); ISO 8601 instants are accepted too, "
                    + "periodEnd then exclusive. Counts current event versions only; events voided (resent with "
                    + "customerAlias VOID) count for no one. minEventId and maxEventId are the ids of the first and "
                    + "last counted events by timestamp; ignoredEventCount the matching events whose value could "
                    + "not be read. value is exact.")
                    .responses(found("The calculation", json(ref(CALCULATION), json(CALCULATION_EXAMPLE)))
                            .addAPIResponse("400", error("A missing or invalid period, timeZone, asOf, periodEnd "
                                    + "before periodStart, or over 100 customerAliases", null)));
        }
        if (usage != null && usage.getGET() != null) {
            Content content = json(ref(USAGE), json(USAGE_EXAMPLE)).addMediaType("text/csv",
                    OASFactory.createMediaType().schema(string("RFC 4180 CSV with a header row: windowStart, "
                            + "windowEnd, customerAlias, one groupBy.<path> column per property, value, "
                            + "eventCount")).example(USAGE_CSV_EXAMPLE));
            describe(usage.getGET(), "Extension of this service (not in Sequence's API): the metric's value in "
                    + "windows of any size in any IANA time zone (correct across DST changes), grouped by customer "
                    + "and/or properties, every window included (empty ones with 0, or null for MIN, MAX, AVG, "
                    + "LATEST). At most 10,000 windows x groups. JSON, or CSV with Accept: text/csv.")
                    .responses(found("The windows", content)
                            .addAPIResponse("400", error("A missing or invalid from/to (from must be before to), "
                                    + "windowSize, timeZone, groupBy, asOf, over 100 customers or 10,000 rows",
                                    null)));
        }
    }

    private static Operation describe(Operation operation, String description) {
        if (operation.getParameters() != null) {
            operation.getParameters().stream().filter(p -> p.getIn() == Parameter.In.QUERY).forEach(p -> {
                p.setDescription(PARAMETERS.get(p.getName()));
                p.setSchema(p.getName().equals("limit") ? OASFactory.createSchema().addType(SchemaType.INTEGER)
                        .format("int32").minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(100)).defaultValue(20)
                        : string(null));
            });
        }
        return SequenceOpenApi.describe(operation, description);
    }

    /** The answer of an operation on one metric: its success, 401 and 404. */
    private static APIResponses found(String description, Content content) {
        return responses().addAPIResponse("200", response(description, content))
                .addAPIResponse("401", error(UNAUTHORIZED, null))
                .addAPIResponse("404", error(NOT_FOUND, null));
    }

    private static void addComponents(Components components) {
        components.addSchema(NEW_METRIC, object(List.of("name", "eventType", "aggregationType"))
                .addProperty("name", string("Unique among the account's live metrics, 1-255 characters"))
                .addProperty("description", nullableString(null))
                .addProperty("metricType", string("SIMPLE (default); GROUPED is not supported")
                        .addEnumeration("SIMPLE"))
                .addProperty("eventType", string("The eventType of the events counted"))
                .addProperty("aggregationType", string("COUNT, UNIQUE, SUM, MIN, MAX, AVG or LATEST")
                        .addEnumeration("COUNT").addEnumeration("UNIQUE").addEnumeration("SUM")
                        .addEnumeration("MIN").addEnumeration("MAX").addEnumeration("AVG").addEnumeration("LATEST"))
                .addProperty("aggregationProperty", nullableString("Dot-separated path of the event property "
                        + "aggregated (e.g. usage.input_tokens, at most 16 levels): required but for COUNT, refused "
                        + "for COUNT"))
                .addProperty("unit", nullableString(null))
                .addProperty("propertyFilters", filters())
                .addProperty("propertiesToNegate", strings("Paths of propertyFilters that mean NOT IN"))
                .addProperty("caseSensitive", OASFactory.createSchema().addType(SchemaType.BOOLEAN)
                        .addType(SchemaType.NULL).description("Whether filters compare case-sensitively "
                                + "(default true)")));
        components.addSchema(METRIC, object(List.of("id", "sequenceAccountId", "name", "metricType", "eventType",
                        "aggregationType", "propertyFilters", "parameters"))
                .addProperty("id", string(null).format("uuid"))
                .addProperty("sequenceAccountId", string(null).format("uuid"))
                .addProperty("name", string(null))
                .addProperty("description", nullableString(null))
                .addProperty("metricType", string("Always SIMPLE").addEnumeration("SIMPLE"))
                .addProperty("eventType", string(null))
                .addProperty("aggregationType", string("COUNT, UNIQUE, SUM, MIN, MAX, AVG or LATEST"))
                .addProperty("aggregationProperty", nullableString(null))
                .addProperty("groupingProperty", nullableString("Always null"))
                .addProperty("unit", nullableString(null))
                .addProperty("propertyFilters", filters())
                .addProperty("propertiesToNegate", strings(null))
                .addProperty("caseSensitive", OASFactory.createSchema().addType(SchemaType.BOOLEAN))
                .addProperty("parameters", OASFactory.createSchema().addType(SchemaType.ARRAY)
                        .description("Always empty (custom metrics are not supported)")
                        .items(OASFactory.createSchema().addType(SchemaType.OBJECT)))
                .addProperty("createdAt", string(null).format("date-time"))
                .addProperty("deletedAt", nullableString(null).format("date-time")));
        components.addSchema(METRIC_LIST, object(List.of("items", "pagination"))
                .addProperty("items", OASFactory.createSchema().addType(SchemaType.ARRAY).items(ref(METRIC)))
                .addProperty("pagination", ref(PAGINATION)));
        components.addSchema(CALCULATION, object(List.of("name", "metricType", "eventType", "aggregationType",
                        "eventCount", "value", "ignoredEventCount"))
                .addProperty("name", string(null))
                .addProperty("metricType", string(null))
                .addProperty("eventType", string(null))
                .addProperty("aggregationType", string(null))
                .addProperty("eventCount", long64("Events that went into the value (COUNT: every matching event)"))
                .addProperty("value", decimal())
                .addProperty("unit", nullableString(null))
                .addProperty("minEventId", nullableString("Id of the first counted event by timestamp")
                        .format("uuid"))
                .addProperty("maxEventId", nullableString("Id of the last counted event by timestamp")
                        .format("uuid"))
                .addProperty("ignoredEventCount", long64("Matching events whose value could not be read "
                        + "(missing, not a number)")));
        components.addSchema(USAGE_ROW, object(List.of("windowStart", "windowEnd", "groupBy", "value",
                        "eventCount"))
                .addProperty("windowStart", string(null).format("date-time"))
                .addProperty("windowEnd", string(null).format("date-time"))
                .addProperty("customerAlias", nullableString("Set when grouped by customer"))
                .addProperty("groupBy", OASFactory.createSchema().addType(SchemaType.OBJECT)
                        .additionalPropertiesBoolean(true).description("Grouped property values by path"))
                .addProperty("value", decimal())
                .addProperty("eventCount", long64(null)));
        components.addSchema(USAGE, object(List.of("metricId", "timeZone", "from", "to", "data"))
                .addProperty("metricId", string(null).format("uuid"))
                .addProperty("windowSize", nullableString("Null: the period is one window"))
                .addProperty("timeZone", string(null))
                .addProperty("from", string(null).format("date-time"))
                .addProperty("to", string(null).format("date-time"))
                .addProperty("data", OASFactory.createSchema().addType(SchemaType.ARRAY).items(ref(USAGE_ROW)))
                .addProperty("ignoredEventCount", long64(null)));
    }

    private static Schema filters() {
        return OASFactory.createSchema().addType(SchemaType.OBJECT).addType(SchemaType.NULL)
                .description("Property path -> allowed values: ANDed across paths, ORed within one")
                .additionalPropertiesSchema(strings(null));
    }

    private static Schema decimal() {
        return OASFactory.createSchema().addType(SchemaType.NUMBER).addType(SchemaType.NULL)
                .description("Exact decimal; null for MIN, MAX, AVG and LATEST when no event counted");
    }

    private static Schema long64(String description) {
        return OASFactory.createSchema().addType(SchemaType.INTEGER).format("int64").description(description);
    }

    private static Schema strings(String description) {
        return OASFactory.createSchema().addType(SchemaType.ARRAY).items(string(null)).description(description);
    }

    private static APIResponses responses() {
        return OASFactory.createAPIResponses();
    }
}
