package dev.usageevents.rest.sequence;

import static dev.usageevents.rest.sequence.SequenceOpenApi.ERROR;
import static dev.usageevents.rest.sequence.SequenceOpenApi.describe;
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
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * The OpenAPI description of the Sequence API, in one place rather than in annotations: the schemas of its
 * bodies and its error, the Basic security scheme, the {@code Sequence-Version} header, and the vendor's own
 * example (the seed page) as the request and response examples of {@code POST /api/usage-events}.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class SequenceOpenApiFilter implements OASFilter {

    static final String TAG = "Sequence";
    static final String CREATE = "createUsageEvent";
    static final String LIST = "listUsageEvents";
    static final String GET = "getUsageEvent";
    static final String CREATE_METRIC = "createUsageMetric";
    static final String LIST_METRICS = "listUsageMetrics";
    static final String GET_METRIC = "getUsageMetric";
    static final String UPDATE_METRIC = "updateUsageMetric";
    static final String DELETE_METRIC = "deleteUsageMetric";
    static final String CALCULATE_METRIC = "calculateUsageMetric";
    static final String METRIC_USAGE = "getUsageMetricUsage";
    static final String SECURITY_SCHEME = "sequenceBasic";

    /** The request of the vendor's example, verbatim. */
    static final String SEED_REQUEST = """
            {
            "customerEventId": "event-id-H4twuTWpYx1rkd8OMTki2hTUcZ",
            "customerAlias": "customer-id-2H4u5BBwBWsS5V2sroRFqJfTXpW",
            "eventType": "message-sent",
            "eventTimestamp": "2022-10-01T00:00:00Z",
            "eventProperties": {
            "length": 500,
            "type": "text_message"
            }
            }
            """;

    /** The response of the vendor's example, verbatim. */
    static final String SEED_RESPONSE = """
            {
            "id": "0184421a-8202-70ea-a729-30308a40bbf7",
            "customerEventId": "event-id-H4twuTWpYx1rkd8OMTki2hTUcZ",
            "customerAlias": "customer-id-2H4u5BBwBWsS5V2sroRFqJfTXpW",
            "eventType": "message-sent",
            "sequenceAccountId": "0184421e-a9cc-711b-af93-bf0511d4d833",
            "eventTimestamp": "2022-10-01T00:00:00Z",
            "eventProperties": {
            "length": 500,
            "type": "text_message"
            }
            }
            """;

    private static final String EVENT = "SequenceUsageEvent";
    private static final String NEW_EVENT = "SequenceNewUsageEvent";
    private static final String EVENT_LIST = "SequenceUsageEventList";
    private static final String PAGINATION = "SequencePagination";
    private static final String ERROR_DETAIL = "SequenceErrorDetail";
    private static final String FIELD_ERROR = "SequenceFieldError";

    private static final Map<String, String> QUERY_PARAMETERS = Map.of(
            "customerAlias", "Only events of this customer alias",
            "eventType", "Only events of this type",
            "eventId", "Only the event with this customer event id",
            "eventTimestampAfter", "Only events strictly after this ISO 8601 time",
            "eventTimestampBefore", "Only events strictly before this ISO 8601 time",
            "sortOrder", "ASC or DESC by event timestamp (default DESC)",
            "limit", "Page size, 1 to 100 (default 20)",
            "after", "Cursor: the page after the one whose pagination.after this is",
            "before", "Cursor: the page before the one whose pagination.before this is",
            "offset", "Not supported (only 0): page with the after and before cursors");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        addComponents(openAPI.getComponents());
        PathItem events = openAPI.getPaths() == null ? null : openAPI.getPaths().getPathItem("/api/usage-events");
        PathItem event = openAPI.getPaths() == null ? null
                : openAPI.getPaths().getPathItem("/api/usage-events/{id}");
        if (events != null && events.getPOST() != null) {
            Operation create = describe(events.getPOST(), "Stores an event. A new event with the customerEventId of "
                    + "a current one supersedes it (last wins); an exact replay returns the stored event.");
            create.setRequestBody(OASFactory.createRequestBody().required(true)
                    .content(json(ref(NEW_EVENT), json(SEED_REQUEST))));
            create.setResponses(responses()
                    .addAPIResponse("201", response("Created (or the stored event, for an exact replay)",
                            json(ref(EVENT), json(SEED_RESPONSE))))
                    .addAPIResponse("400", error("Not JSON, a wrong type, a missing or invalid field, or an "
                            + "unrecognised Sequence-Version", null))
                    .addAPIResponse("413", error("The body is larger than 5 MiB", null))
                    .addAPIResponse("401", error("Missing or invalid Basic credentials", null)));
        }
        if (events != null && events.getGET() != null) {
            Operation list = describe(events.getGET(), "Current events of the account (superseded versions left "
                    + "out), by event timestamp, with keyset cursors that stay stable while events arrive.");
            list.getParameters().stream().filter(p -> p.getIn() == Parameter.In.QUERY).forEach(p -> {
                p.setDescription(QUERY_PARAMETERS.get(p.getName()));
                p.setSchema(queryParameterSchema(p.getName()));
            });
            list.setResponses(responses()
                    .addAPIResponse("200", response("A page of events", json(ref(EVENT_LIST), null)))
                    .addAPIResponse("400", error("An invalid filter, sortOrder, limit or cursor", null))
                    .addAPIResponse("401", error("Missing or invalid Basic credentials", null)));
        }
        if (event != null && event.getGET() != null) {
            Operation get = describe(event.getGET(), "Any version of an event of the account, superseded ones "
                    + "included.");
            get.setResponses(responses()
                    .addAPIResponse("200", response("The event", json(ref(EVENT), json(SEED_RESPONSE))))
                    .addAPIResponse("404", error("No event with this id in the account", null))
                    .addAPIResponse("401", error("Missing or invalid Basic credentials", null)));
        }
    }

    /** The type a client sends; the resource reads every parameter as text, to answer bad ones in Sequence's shape. */
    private static Schema queryParameterSchema(String name) {
        return switch (name) {
            case "limit" -> integer().minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(100)).defaultValue(20);
            case "offset" -> integer().minimum(BigDecimal.ZERO).maximum(BigDecimal.ZERO);
            case "sortOrder" -> string(null).addEnumeration("ASC").addEnumeration("DESC").defaultValue("DESC");
            default -> string(null);
        };
    }

    private static void addComponents(Components components) {
        components.addSecurityScheme(SECURITY_SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("basic")
                .description("Authorization: Basic base64(clientId:clientSecret), the Sequence credentials of an "
                        + "account (POST /admin/accounts)"));
        components.addSchema(NEW_EVENT, object(List.of("customerAlias", "eventType"))
                .addProperty("customerEventId", string("ID provided by customer. Another event with the same "
                        + "customer event ID will supersede this one. Generated when absent."))
                .addProperty("customerAlias", string("End-customer alias or ID"))
                .addProperty("eventType", string("Event type. This can be referenced from a usage metric."))
                .addProperty("eventTimestamp", string("Event timestamp, in ISO 8601 format, with Z or an offset. "
                        + "Default: the time of receipt.").format("date-time"))
                .addProperty("eventProperties", properties()));
        components.addSchema(EVENT, object(List.of("id", "customerEventId", "customerAlias", "eventType",
                        "sequenceAccountId", "eventTimestamp", "eventProperties"))
                .addProperty("id", string("Unique ID").format("uuid"))
                .addProperty("customerEventId", string("ID provided by customer"))
                .addProperty("customerAlias", string("End-customer alias or ID"))
                .addProperty("eventType", string("Event type"))
                .addProperty("sequenceAccountId", string("Account ID").format("uuid"))
                .addProperty("eventTimestamp", string("Event timestamp in UTC, e.g. 2022-10-01T00:00:00Z")
                        .format("date-time"))
                .addProperty("eventProperties", properties()));
        components.addSchema(EVENT_LIST, object(List.of("items", "pagination"))
                .addProperty("items", OASFactory.createSchema().addType(SchemaType.ARRAY).items(ref(EVENT)))
                .addProperty("pagination", ref(PAGINATION)));
        components.addSchema(PAGINATION, object(List.of("after", "before", "totalResultSize"))
                .addProperty("after", nullableString("Cursor of the next page; null on the last"))
                .addProperty("before", nullableString("Cursor of the previous page; null on the first"))
                .addProperty("totalResultSize", OASFactory.createSchema().addType(SchemaType.INTEGER)
                        .format("int64").description("Number of events matching the filters")));
        components.addSchema(ERROR, object(List.of("error")).addProperty("error", ref(ERROR_DETAIL)));
        components.addSchema(ERROR_DETAIL, object(List.of("type", "message"))
                .addProperty("type", string("e.g. ValidationError, MalformedJson, Unauthorized, NotFound, "
                        + "PayloadTooLarge, UnrecognisedApiVersion, ServiceUnavailable"))
                .addProperty("message", string("What is wrong, naming the field"))
                .addProperty("errors", OASFactory.createSchema().addType(SchemaType.ARRAY)
                        .description("Validation errors: one per field, named as in the request")
                        .items(ref(FIELD_ERROR))));
        components.addSchema(FIELD_ERROR, object(List.of("field", "message"))
                .addProperty("field", string("e.g. customerAlias, eventProperties.a.b"))
                .addProperty("message", string("What is wrong with it")));
    }

    /** Tag, security and the version header of every operation of this API. */

    private static APIResponses responses() {
        return OASFactory.createAPIResponses();
    }

    private static Schema integer() {
        return OASFactory.createSchema().addType(SchemaType.INTEGER).format("int32");
    }

    private static Schema properties() {
        return OASFactory.createSchema().addType(SchemaType.OBJECT).additionalPropertiesBoolean(true)
                .description("Event properties, any JSON object (JSON types are kept). These can be referenced by "
                        + "a usage metric.");
    }
}
