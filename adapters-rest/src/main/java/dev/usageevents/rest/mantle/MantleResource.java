package dev.usageevents.rest.mantle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.model.SupersedeRule;
import dev.usageevents.domain.port.in.EventPage;
import dev.usageevents.domain.port.in.EventQuery;
import dev.usageevents.domain.port.in.IdentifyCommand;
import dev.usageevents.domain.port.in.IdentifyCustomers;
import dev.usageevents.domain.port.in.IngestCommand;
import dev.usageevents.domain.port.in.IngestUsageEvents;
import dev.usageevents.domain.port.in.QueryUsageEvents;
import dev.usageevents.domain.port.in.ThrottleCallers.CallKind;
import dev.usageevents.domain.port.out.StoreUnavailableException;
import dev.usageevents.rest.common.JsonBody;
import dev.usageevents.rest.common.Workers;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The Mantle schema: identify customers, send usage events (one, or up to 1000 at once), list them. Errors are
 * Mantle's {@code {"error": "...", "details": [...]}}: 400 when the request is not of the schema's shape (not
 * JSON, not an object, a field of the wrong JSON type, conflicting aliases, a bad query parameter), 401 for
 * missing or wrong credentials, 403 for another customer than the token's, 413 beyond 5 MiB, 422 when the
 * request is well-formed but a value breaks a rule (missing, too long, bad timestamp, properties too deep...).
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Mantle", description = "Mantle-compatible usage events API")
@SecuritySchemes({
    @SecurityScheme(securitySchemeName = MantleResource.APP_ID, type = SecuritySchemeType.APIKEY,
            in = SecuritySchemeIn.HEADER, apiKeyName = MantleAuthenticator.APP_ID,
            description = "The app id, from POST /admin/accounts (mantle.appId)"),
    @SecurityScheme(securitySchemeName = MantleResource.API_KEY, type = SecuritySchemeType.APIKEY,
            in = SecuritySchemeIn.HEADER, apiKeyName = MantleAuthenticator.API_KEY,
            description = "The app's API key (mantle.apiKey): server side only, never in a browser"),
    @SecurityScheme(securitySchemeName = MantleResource.CUSTOMER_TOKEN, type = SecuritySchemeType.APIKEY,
            in = SecuritySchemeIn.HEADER, apiKeyName = MantleAuthenticator.CUSTOMER_TOKEN,
            description = "A customer's API token, from POST /v1/identify: safe in that customer's browser")
})
public class MantleResource {

    static final String APP_ID = "MantleAppId";
    static final String API_KEY = "MantleAppApiKey";
    static final String CUSTOMER_TOKEN = "MantleCustomerApiToken";
    static final String REFUSED = "Refused, nothing stored: 400 malformed request, 401 missing or wrong credentials, "
            + "403 another customer than the token's, 413 body over 5 MiB, 422 a value breaks a rule";

    private static final String SINGLE_EVENT = """
            {
              "customerId": "string",
              "eventId": "string",
              "eventName": "string",
              "timestamp": 1709315224000,
              "properties": {
                "key": "value"
              }
            }""";
    private static final String MULTIPLE_EVENTS = """
            {
              "events": [
                {
                  "customerId": "string",
                  "eventId": "string",
                  "eventName": "string",
                  "timestamp": 1709315224000,
                  "properties": {
                    "key": "value"
                  }
                },
                {
                  "customerId": "string",
                  "eventId": "string",
                  "eventName": "string",
                  "timestamp": 1709315224000,
                  "properties": {
                    "key": "value"
                  }
                }
              ]
            }""";
    private static final String IDENTIFY = """
            {
              "platform": "shopify",
              "platformId": "string",
              "myshopifyDomain": "acme.myshopify.com",
              "name": "Acme",
              "email": "owner@acme.test",
              "customFields": {"tier": "gold"}
            }""";

    private final MantleAuthenticator authenticator;
    private final IdentifyCustomers customers;
    private final IngestUsageEvents ingest;
    private final QueryUsageEvents query;

    MantleResource(MantleAuthenticator authenticator, IdentifyCustomers customers, IngestUsageEvents ingest,
            QueryUsageEvents query) {
        this.authenticator = authenticator;
        this.customers = customers;
        this.ingest = ingest;
        this.query = query;
    }

    @POST
    @Path("/identify")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "mantleIdentify", summary = "Identify a customer and get its API token",
            description = "Creates or updates the customer whose reference is platformId (else myshopifyDomain): "
                    + "the customerId of its events. Returns the same token every time, a new one when "
                    + "rotateApiToken is true (the old one stops working). Unknown fields are ignored.")
    @SecurityRequirementsSet({@SecurityRequirement(name = APP_ID), @SecurityRequirement(name = API_KEY)})
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = MantleRequestSchemas.Identify.class),
            examples = @ExampleObject(name = "shopify", value = IDENTIFY)))
    @APIResponse(responseCode = "200", description = "The customer's API token",
            content = @Content(schema = @Schema(implementation = MantleApiToken.class)))
    @APIResponse(responseCode = "4XX", description = REFUSED,
            content = @Content(schema = @Schema(implementation = MantleError.class)))
    public MantleApiToken identify(@Context HttpHeaders headers, byte[] body) {
        MantleCaller caller = authenticator.app(headers, CallKind.OTHER);
        IdentifyCommand command = MantleRequests.identify(parse(body));
        try {
            return new MantleApiToken(customers.identify(caller.account().id(), command).apiToken());
        } catch (InvalidInputException e) {
            throw MantleRequests.invalidIdentify(e);
        }
    }

    @POST
    @Path("/usage_events")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "mantleSendUsageEvents", summary = "Send usage events",
            description = "One event, or {\"events\": [...]} with 1 to 1000 events, stored all or none. Aliases: "
                    + "event_id, event_name, customer_id. timestamp: epoch milliseconds or an ISO 8601 string "
                    + "(default: now). customerId is required with the API key; with a customer token it may be "
                    + "omitted and must be the token's customer. A repeated eventId keeps the first event. "
                    + "Answers after the events are committed.")
    @SecurityRequirementsSet({@SecurityRequirement(name = APP_ID), @SecurityRequirement(name = API_KEY)})
    @SecurityRequirementsSet({@SecurityRequirement(name = APP_ID), @SecurityRequirement(name = CUSTOMER_TOKEN)})
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = MantleRequestSchemas.UsageEvents.class),
            examples = {
                @ExampleObject(name = "single", summary = "Sending a single event", value = SINGLE_EVENT),
                @ExampleObject(name = "multiple", summary = "Sending multiple events", value = MULTIPLE_EVENTS)
            }))
    @APIResponse(responseCode = "200", description = "Stored (or already stored: duplicates are acknowledged)",
            content = @Content(schema = @Schema(implementation = MantleSuccess.class),
                    examples = @ExampleObject(name = "success", value = "{\"success\": true}")))
    @APIResponse(responseCode = "4XX", description = REFUSED,
            content = @Content(schema = @Schema(implementation = MantleError.class)))
    public CompletionStage<MantleSuccess> send(@Context HttpHeaders headers, byte[] body) {
        Optional<MantleCaller> known = authenticator.appWithoutBlocking(headers, CallKind.INGEST);
        if (known.isPresent() && body.length < Workers.LARGE_BODY) {
            return send(known.get(), MantleRequests.events(parse(body), known.get()));
        }
        return Workers.call(() -> {
            MantleCaller caller = known.orElseGet(() -> authenticator.appOrCustomer(headers, CallKind.INGEST));
            return Map.entry(caller, MantleRequests.events(parse(body), caller));
        }).thenCompose(parsed -> send(parsed.getKey(), parsed.getValue()));
    }

    /**
     * The event loop's part of a send (a worker's, for a large body or a caller not known at once): the batch is queued
     * for the next group commit; {@code {"success":true}} is written once that commit is done.
     */
    private CompletionStage<MantleSuccess> send(MantleCaller caller, MantleEvents events) {
        try {
            return ingest.ingest(new IngestCommand(caller.account().id(), Source.MANTLE, SupersedeRule.FIRST_WINS,
                    events.drafts())).thenApply(committed -> new MantleSuccess(true));
        } catch (InvalidInputException e) {
            throw MantleRequests.invalidEvents(e, events.batch());
        }
    }

    @GET
    @Path("/usage_events")
    @Operation(operationId = "mantleListUsageEvents", summary = "List usage events, newest first",
            description = "Filters are inclusive. Pass the cursor of a page to get the next one. With a customer "
                    + "token, only that customer's events.")
    @SecurityRequirementsSet({@SecurityRequirement(name = APP_ID), @SecurityRequirement(name = API_KEY)})
    @SecurityRequirementsSet({@SecurityRequirement(name = APP_ID), @SecurityRequirement(name = CUSTOMER_TOKEN)})
    @APIResponse(responseCode = "200", description = "One page of events",
            content = @Content(schema = @Schema(implementation = MantleEventList.class)))
    @APIResponse(responseCode = "4XX", description = REFUSED,
            content = @Content(schema = @Schema(implementation = MantleError.class)))
    public MantleEventList list(@Context HttpHeaders headers,
            @Parameter(description = "Only this customer's events") @QueryParam("customerId") String customerId,
            @Parameter(description = "Only events of this name") @QueryParam("eventName") String eventName,
            @Parameter(description = "From this time on: ISO 8601 date-time, date (UTC), or epoch milliseconds")
            @QueryParam("startDate") String startDate,
            @Parameter(description = "Up to this time, inclusive (a date includes the whole day)")
            @QueryParam("endDate") String endDate,
            @Parameter(description = "The cursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "Page size, 1 to 100 (default 20)",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1", maximum = "100"))
            @QueryParam("take") String take) {
        MantleCaller caller = authenticator.appOrCustomer(headers, CallKind.OTHER);
        EventQuery eventQuery = MantleRequests.listQuery(caller, customerId, eventName, startDate, endDate, cursor,
                take);
        try {
            EventPage page = query.list(caller.account().id(), eventQuery);
            return MantleResponses.list(page);
        } catch (InvalidInputException e) {
            throw MantleRequests.invalidQuery(e);
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JsonBody.parse(body);
        } catch (JsonBody.MalformedJsonException e) {
            throw new MantleApiException(400, e.getMessage());
        }
    }

    @ServerExceptionMapper
    Response unavailable(StoreUnavailableException e) {
        return MantleErrors.unavailable(e);
    }
}
