package dev.usageevents.rest.mantle;

import dev.usageevents.domain.model.Customer;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.meter.Aggregation;
import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.domain.port.in.FindCustomers;
import dev.usageevents.domain.port.in.ManageMeters;
import dev.usageevents.domain.port.in.MeterListQuery;
import dev.usageevents.domain.port.in.MeterPage;
import dev.usageevents.domain.port.in.MeterQuery;
import dev.usageevents.domain.port.in.MeterResult;
import dev.usageevents.domain.port.in.MeterRow;
import dev.usageevents.domain.port.in.QueryMeters;
import dev.usageevents.domain.port.in.ThrottleCallers.CallKind;
import dev.usageevents.domain.port.out.StoreUnavailableException;
import dev.usageevents.rest.common.Workers;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Mantle's usage reads: the usage report of a meter, and a customer with the usage of every meter. Meters are
 * account-wide (defined through any API); Mantle names one by id or by name. A customer token sees only its own
 * customer. All times are UTC.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Mantle", description = "Mantle-compatible usage events API")
public class MantleMetersResource {

    /** Where {@code allTimeValue} starts: no event is older (the contract refuses earlier timestamps). */
    static final Instant ALL_TIME = Instant.parse("2000-01-01T00:00:00Z");
    /** How many of a customer's meters {@code GET /v1/customer} asks at once (each on a connection of its own). */
    private static final int METER_LANES = 2;
    static final String READ_REFUSED = "Refused: 400 malformed parameter, 401 missing or wrong credentials, "
            + "403 another customer than the token's, 404 no such meter or customer, 422 a period out of bounds";

    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String REPORT_EXAMPLE = """
            {
              "usageReport": {
                "startDate": "2024-01-01T00:00:00Z",
                "endDate": "2024-01-03T23:59:59.999Z",
                "period": "daily",
                "data": [
                  {"date": "2024-01-01T00:00:00Z", "value": 12},
                  {"date": "2024-01-02T00:00:00Z", "value": 0},
                  {"date": "2024-01-03T00:00:00Z", "value": 7.5}
                ]
              },
              "report": {
                "startDate": "2024-01-01T00:00:00Z",
                "endDate": "2024-01-03T23:59:59.999Z",
                "period": "daily",
                "data": [
                  {"date": "2024-01-01T00:00:00Z", "value": 12},
                  {"date": "2024-01-02T00:00:00Z", "value": 0},
                  {"date": "2024-01-03T00:00:00Z", "value": 7.5}
                ]
              }
            }""";
    private static final String CUSTOMER_EXAMPLE = """
            {
              "customer": {
                "id": "01901c6e-5f3a-7c1e-9a51-3f0d2b7e4a10",
                "platformId": "cus_1",
                "myshopifyDomain": "acme.myshopify.com",
                "platform": "shopify",
                "name": "Acme",
                "email": "owner@acme.test",
                "platformPlanName": "Pro",
                "customFields": {"tier": "gold"},
                "createdAt": "2023-06-01T00:00:00Z",
                "usage": {
                  "api-calls": {
                    "id": "01901c70-0b5e-7a3d-8c7f-2d9e1a4b6c20",
                    "name": "api-calls",
                    "eventName": "api.call",
                    "currentValue": 120,
                    "monthToDateValue": 120,
                    "last24HoursValue": 8,
                    "last7DaysValue": 40,
                    "last30DaysValue": 150,
                    "last90DaysValue": 420,
                    "last365DaysValue": 1500,
                    "allTimeValue": 1730
                  }
                }
              }
            }""";

    private final MantleAuthenticator authenticator;
    private final ManageMeters meters;
    private final QueryMeters queries;
    private final FindCustomers customers;
    private final Clock clock;

    MantleMetersResource(MantleAuthenticator authenticator, ManageMeters meters, QueryMeters queries,
            FindCustomers customers, Clock clock) {
        this.authenticator = authenticator;
        this.meters = meters;
        this.queries = queries;
        this.customers = customers;
        this.clock = clock;
    }

    @GET
    @Path("/usage_metrics/{idOrName}/report")
    @Operation(operationId = "mantleUsageMetricReport", summary = "Usage report of a meter",
            description = "The meter's value per day, week (from Monday) or month, in UTC. startDate and endDate "
                    + "are days, both inclusive (an ISO 8601 instant stands for its UTC day); the period is widened "
                    + "to whole windows. Defaults: endDate today, startDate 30 days / 12 weeks / 12 months back; "
                    + "at most 90 days / 12 weeks / 12 months (422 beyond). The same report is under usageReport "
                    + "(Mantle's docs) and report (Mantle's SDK).")
    @SecurityRequirementsSet({@SecurityRequirement(name = MantleResource.APP_ID),
        @SecurityRequirement(name = MantleResource.API_KEY)})
    @SecurityRequirementsSet({@SecurityRequirement(name = MantleResource.APP_ID),
        @SecurityRequirement(name = MantleResource.CUSTOMER_TOKEN)})
    @APIResponse(responseCode = "200", description = "The report",
            content = @Content(schema = @Schema(implementation = MantleUsageReport.class),
                    examples = @ExampleObject(name = "daily", value = REPORT_EXAMPLE)))
    @APIResponse(responseCode = "4XX", description = READ_REFUSED,
            content = @Content(schema = @Schema(implementation = MantleError.class),
                    examples = @ExampleObject(name = "too long", value = "{\"error\":\"startDate is too far back: "
                            + "a daily report covers at most 90 days (got 120)\",\"details\":[{\"field\":"
                            + "\"startDate\",\"message\":\"is too far back: a daily report covers at most 90 days "
                            + "(got 120)\"}]}")))
    public MantleUsageReport report(@Context HttpHeaders headers,
            @Parameter(description = "The meter's id or name") @PathParam("idOrName") String idOrName,
            @Parameter(description = "daily (default), weekly or monthly",
                    schema = @Schema(enumeration = {"daily", "weekly", "monthly"}))
            @QueryParam("period") String period,
            @Parameter(description = "First day (inclusive), e.g. 2024-01-01") @QueryParam("startDate")
            String startDate,
            @Parameter(description = "Last day (inclusive), e.g. 2024-01-31; default today (UTC)")
            @QueryParam("endDate") String endDate,
            @Parameter(description = "Only this customer's usage (with the API key; default: every customer)")
            @QueryParam("customerId") String customerId) {
        MantleCaller caller = authenticator.appOrCustomer(headers, CallKind.OTHER);
        List<String> customer = customers(caller, customerId);
        MantleReportPeriod window = MantleReportPeriod.of(period, startDate, endDate,
                LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        Meter meter = meter(caller, idOrName);
        MeterResult result = query(caller, meter, new MeterQuery(window.from(), window.to(),
                window.windowSize().name(), "UTC", customer, false, List.of(), null));
        List<MantleUsageReport.Point> data = result.rows().stream()
                .map(row -> new MantleUsageReport.Point(instant(row.windowStart()), row.value())).toList();
        return MantleUsageReport.of(new MantleUsageReport.Report(instant(window.from()),
                instant(window.to().minusMillis(1)), window.period(), data));
    }

    /** The path Mantle's official SDK calls: the same report. */
    @GET
    @Path("/usage_events/{idOrName}/report")
    @Operation(operationId = "mantleUsageEventsReport", summary = "Usage report of a meter (the SDK's path)",
            description = "The same as GET /v1/usage_metrics/{idOrName}/report.")
    @SecurityRequirementsSet({@SecurityRequirement(name = MantleResource.APP_ID),
        @SecurityRequirement(name = MantleResource.API_KEY)})
    @SecurityRequirementsSet({@SecurityRequirement(name = MantleResource.APP_ID),
        @SecurityRequirement(name = MantleResource.CUSTOMER_TOKEN)})
    @APIResponse(responseCode = "200", description = "The report",
            content = @Content(schema = @Schema(implementation = MantleUsageReport.class),
                    examples = @ExampleObject(name = "daily", value = REPORT_EXAMPLE)))
    @APIResponse(responseCode = "4XX", description = READ_REFUSED,
            content = @Content(schema = @Schema(implementation = MantleError.class)))
    public MantleUsageReport eventsReport(@Context HttpHeaders headers,
            @Parameter(description = "The meter's id or name") @PathParam("idOrName") String idOrName,
            @Parameter(description = "daily (default), weekly or monthly",
                    schema = @Schema(enumeration = {"daily", "weekly", "monthly"}))
            @QueryParam("period") String period,
            @Parameter(description = "First day (inclusive)") @QueryParam("startDate") String startDate,
            @Parameter(description = "Last day (inclusive); default today (UTC)") @QueryParam("endDate")
            String endDate,
            @Parameter(description = "Only this customer's usage") @QueryParam("customerId") String customerId) {
        return report(headers, idOrName, period, startDate, endDate, customerId);
    }

    @GET
    @Path("/customer")
    @Operation(operationId = "mantleGetCustomer", summary = "A customer with its usage",
            description = "With a customer token: that customer; with the API key: the customer whose customerId "
                    + "(platformId, else myshopifyDomain) is id. usage holds every meter of the account by name; "
                    + "currentValue is the calendar month to date in UTC (= monthToDateValue), allTimeValue "
                    + "counts from 2000-01-01.")
    @SecurityRequirementsSet({@SecurityRequirement(name = MantleResource.APP_ID),
        @SecurityRequirement(name = MantleResource.API_KEY)})
    @SecurityRequirementsSet({@SecurityRequirement(name = MantleResource.APP_ID),
        @SecurityRequirement(name = MantleResource.CUSTOMER_TOKEN)})
    @APIResponse(responseCode = "200", description = "The customer",
            content = @Content(schema = @Schema(implementation = MantleCustomerUsage.class),
                    examples = @ExampleObject(name = "customer", value = CUSTOMER_EXAMPLE)))
    @APIResponse(responseCode = "4XX", description = READ_REFUSED,
            content = @Content(schema = @Schema(implementation = MantleError.class),
                    examples = @ExampleObject(name = "unknown", value = "{\"error\":\"No customer 'cus_9'\","
                            + "\"details\":[]}")))
    public MantleCustomerUsage customer(@Context HttpHeaders headers,
            @Parameter(description = "The customer's customerId (API key only; a token names its own customer)",
                    schema = @Schema(type = SchemaType.STRING)) @QueryParam("id") String id) {
        MantleCaller caller = authenticator.appOrCustomer(headers, CallKind.OTHER);
        CustomerId reference = caller.customer().orElseGet(() -> {
            if (id == null || id.isBlank()) {
                throw MantleApiException.fields(400, List.of(new MantleError.FieldDetail("id",
                        "is required with the app API key")));
            }
            try {
                return new CustomerId(id);
            } catch (InvalidInputException e) {
                throw MantleApiException.fields(400, List.of(new MantleError.FieldDetail("id",
                        e.first().message())));
            }
        });
        if (caller.customer().isPresent() && id != null && !id.isBlank() && !id.equals(reference.value())) {
            throw MantleApiException.fields(403, List.of(new MantleError.FieldDetail("id",
                    "must be the customer of the token")));
        }
        Customer customer = customers.find(caller.account().id(), reference)
                .orElseThrow(() -> new MantleApiException(404, "No customer '" + shown(reference.value()) + "'"));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // one statement per meter: on up to METER_LANES connections at once, the answer takes about as long as the
        // slowest meter instead of the sum of all (the UNIQUE_COUNT ones, the slowest, are started first)
        List<Meter> meters = allMeters(caller);
        List<Meter> slowestFirst = meters.stream()
                .sorted(Comparator.comparing(m -> m.definition().aggregation() != Aggregation.UNIQUE_COUNT)).toList();
        List<MantleCustomerUsage.Usage> values = Workers.each(slowestFirst, METER_LANES,
                meter -> usage(caller, meter, reference, now));
        Map<UUID, MantleCustomerUsage.Usage> byMeter = new HashMap<>();
        for (int i = 0; i < slowestFirst.size(); i++) {
            byMeter.put(slowestFirst.get(i).id(), values.get(i));
        }
        Map<String, MantleCustomerUsage.Usage> usage = new LinkedHashMap<>();
        for (Meter meter : meters) {
            usage.put(meter.definition().name(), byMeter.get(meter.id()));
        }
        var profile = customer.profile();
        return new MantleCustomerUsage(new MantleCustomerUsage.Customer(customer.id().toString(),
                profile.platformId(), profile.myshopifyDomain(), profile.platform(), profile.name(), profile.email(),
                profile.platformPlanName(), profile.customFields() == null ? null : profile.customFields().values(),
                profile.createdAt() == null ? null : instant(profile.createdAt()), usage));
    }

    private MantleCustomerUsage.Usage usage(MantleCaller caller, Meter meter, CustomerId customer, Instant now) {
        Instant monthStart = LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        // the seven periods share their end: one pass over the meter answers them all
        List<BigDecimal> values = queries.trailing(caller.account().id(), meter.id(), customer, List.of(monthStart,
                now.minus(Duration.ofHours(24)), now.minus(Duration.ofDays(7)), now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(90)), now.minus(Duration.ofDays(365)), ALL_TIME), now)
                .orElseThrow(() -> new MantleApiException(404, "No usage metric '" + meter.id() + "'"));
        return new MantleCustomerUsage.Usage(meter.id().toString(), meter.definition().name(),
                meter.definition().eventName().value(), values.get(0), values.get(0), values.get(1), values.get(2),
                values.get(3), values.get(4), values.get(5), values.get(6));
    }

    private List<Meter> allMeters(MantleCaller caller) {
        List<Meter> all = new java.util.ArrayList<>();
        String after = null;
        do {
            MeterPage page = meters.list(caller.account().id(), new MeterListQuery(null, null, null, 100, after, null));
            all.addAll(page.items());
            after = page.items().isEmpty() ? null : page.after();
        } while (after != null);
        return all;
    }

    /** A customer token reads its own customer only; the API key narrows to {@code customerId} when given. */
    private static List<String> customers(MantleCaller caller, String customerId) {
        boolean given = customerId != null && !customerId.isBlank();
        if (caller.customer().isPresent()) {
            String own = caller.customer().get().value();
            if (given && !customerId.equals(own)) {
                throw MantleApiException.fields(403, List.of(new MantleError.FieldDetail("customerId",
                        "must be the customer of the token")));
            }
            return List.of(own);
        }
        return given ? List.of(customerId) : List.of();
    }

    private Meter meter(MantleCaller caller, String idOrName) {
        Optional<Meter> byId = CANONICAL_UUID.matcher(idOrName).matches()
                ? meters.get(caller.account().id(), UUID.fromString(idOrName)) : Optional.empty();
        return byId.or(() -> meters.findByName(caller.account().id(), idOrName))
                .orElseThrow(() -> new MantleApiException(404, "No usage metric '" + shown(idOrName) + "'"));
    }

    private MeterResult query(MantleCaller caller, Meter meter, MeterQuery query) {
        try {
            return queries.query(caller.account().id(), meter.id(), query)
                    .orElseThrow(() -> new MantleApiException(404, "No usage metric '" + meter.id() + "'"));
        } catch (InvalidInputException e) {
            throw MantleApiException.fields(422, e.errors().stream()
                    .map(error -> new MantleError.FieldDetail(error.field().equals("customerIds") ? "customerId"
                            : error.field(), error.message()))
                    .toList());
        }
    }

    private static String instant(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    private static String shown(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    @ServerExceptionMapper
    Response unavailable(StoreUnavailableException e) {
        return MantleErrors.unavailable(e);
    }
}
