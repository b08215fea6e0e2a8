package dev.usageevents.rest.sequence;

import dev.usageevents.domain.model.Account;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.domain.port.in.ManageMeters;
import dev.usageevents.domain.port.in.MeterDraft;
import dev.usageevents.domain.port.in.MeterNameTakenException;
import dev.usageevents.domain.port.in.MeterQuery;
import dev.usageevents.domain.port.in.MeterResult;
import dev.usageevents.domain.port.in.QueryMeters;
import dev.usageevents.domain.port.in.ThrottleCallers.CallKind;
import dev.usageevents.domain.port.out.StoreUnavailableException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Sequence's usage-metrics API ({@code /api/usage-metrics}): what an account counts (the domain's meters), and
 * {@code calculate}, the value of one for some customers over a billing period. The {@code usage} operation is
 * this service's extension: windows of any size in any time zone, grouped, as JSON or CSV. A meter of another
 * account is absent (404). The OpenAPI description of these operations is {@link SequenceOpenApiFilter}'s.
 */
@Path("/api/usage-metrics")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = SequenceOpenApiFilter.TAG, description = "Sequence-compatible usage events (Authorization: Basic)")
public class SequenceUsageMetricsResource {

    static final String TEXT_CSV = "text/csv";

    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final SequenceAuthenticator authenticator;
    private final ManageMeters meters;
    private final QueryMeters queries;

    SequenceUsageMetricsResource(SequenceAuthenticator authenticator, ManageMeters meters, QueryMeters queries) {
        this.authenticator = authenticator;
        this.meters = meters;
        this.queries = queries;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = SequenceOpenApiFilter.CREATE_METRIC, summary = "Create a usage metric")
    public Response create(HttpHeaders headers, @Context UriInfo uri, byte[] body) {
        Account account = authenticator.authenticate(headers, CallKind.OTHER);
        MeterDraft draft = SequenceMeterMapper.toDraft(body);
        Meter meter = defined(() -> meters.create(account.id(), draft));
        return Response.status(Response.Status.CREATED)
                .location(uri.getBaseUriBuilder().path("api/usage-metrics").path(meter.id().toString()).build())
                .entity(SequenceMeterMapper.toSequence(meter)).build();
    }

    @GET
    @Operation(operationId = SequenceOpenApiFilter.LIST_METRICS, summary = "List usage metrics")
    public Response list(HttpHeaders headers, @QueryParam("limit") String limit,
            @QueryParam("after") String after, @QueryParam("before") String before,
            @QueryParam("name") String name, @QueryParam("eventType") String eventType,
            @QueryParam("aggregationType") String aggregationType) {
        Account account = authenticator.authenticate(headers, CallKind.OTHER);
        try {
            return Response.ok(SequenceMeterMapper.toSequencePage(meters.list(account.id(),
                    SequenceMeterMapper.listQuery(name, eventType, aggregationType, limit, after, before)))).build();
        } catch (InvalidInputException e) {
            throw SequenceMeterMapper.rejectedQuery(e, SequenceMeterMapper.LIST_FIELDS);
        }
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = SequenceOpenApiFilter.GET_METRIC, summary = "Retrieve a usage metric")
    public Response get(HttpHeaders headers, @PathParam("id") String id) {
        Account account = authenticator.authenticate(headers, CallKind.OTHER);
        Meter meter = found(id, meterId -> meters.get(account.id(), meterId));
        return Response.ok(SequenceMeterMapper.toSequence(meter)).build();
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = SequenceOpenApiFilter.UPDATE_METRIC, summary = "Replace a usage metric")
    public Response update(HttpHeaders headers, @PathParam("id") String id, byte[] body) {
        Account account = authenticator.authenticate(headers, CallKind.OTHER);
        Optional<UUID> meterId = uuid(id);
        MeterDraft draft = SequenceMeterMapper.toDraft(body);
        Meter meter = found(id, given -> defined(() -> meters.replace(account.id(), given, draft)), meterId);
        return Response.ok(SequenceMeterMapper.toSequence(meter)).build();
    }

    /** 200 with the metric as it is now: deleted, {@code deletedAt} set. */
    @DELETE
    @Path("/{id}")
    @Operation(operationId = SequenceOpenApiFilter.DELETE_METRIC, summary = "Delete a usage metric")
    public Response delete(HttpHeaders headers, @PathParam("id") String id) {
        Account account = authenticator.authenticate(headers, CallKind.OTHER);
        Meter meter = found(id, meterId -> meters.delete(account.id(), meterId));
        return Response.ok(SequenceMeterMapper.toSequence(meter)).build();
    }

    @GET
    @Path("/{id}/calculate")
    @Operation(operationId = SequenceOpenApiFilter.CALCULATE_METRIC,
            summary = "Calculate a usage metric over a billing period")
    public Response calculate(HttpHeaders headers, @PathParam("id") String id,
            @QueryParam("customerAliases") String customerAliases, @QueryParam("periodStart") String periodStart,
            @QueryParam("periodEnd") String periodEnd, @QueryParam("timeZone") String timeZone,
            @QueryParam("asOf") String asOf) {
        Account account = authenticator.authenticate(headers, CallKind.OTHER);
        Optional<UUID> meterId = uuid(id);
        MeterQuery query = SequenceMeterMapper.calculateQuery(customerAliases, periodStart, periodEnd, timeZone,
                asOf);
        MeterResult result = found(id, given -> answered(() -> queries.query(account.id(), given, query),
                SequenceMeterMapper.CALCULATE_FIELDS), meterId);
        return Response.ok(SequenceMeterMapper.calculation(result)).build();
    }

    /** This service's extension: JSON, or CSV with {@code Accept: text/csv}. */
    @GET
    @Path("/{id}/usage")
    @Produces({MediaType.APPLICATION_JSON, TEXT_CSV})
    @Operation(operationId = SequenceOpenApiFilter.METRIC_USAGE,
            summary = "Usage of a metric in windows (extension)")
    public Response usage(HttpHeaders headers, @PathParam("id") String id, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("windowSize") String windowSize,
            @QueryParam("timeZone") String timeZone, @QueryParam("customerAliases") String customerAliases,
            @QueryParam("groupBy") String groupBy, @QueryParam("asOf") String asOf) {
        Account account = authenticator.authenticate(headers, CallKind.OTHER);
        Optional<UUID> meterId = uuid(id);
        MeterQuery query = SequenceMeterMapper.usageQuery(from, to, windowSize, timeZone, customerAliases, groupBy,
                asOf);
        MeterResult result = found(id, given -> answered(() -> queries.query(account.id(), given, query),
                SequenceMeterMapper.USAGE_FIELDS), meterId);
        SequenceMetricUsage usage = SequenceMeterMapper.usage(result, query);
        if (wantsCsv(headers)) {
            return Response.ok(SequenceMetricUsageCsv.write(usage, query.groupBy()),
                    TEXT_CSV + "; charset=UTF-8; header=present").build();
        }
        return Response.ok(usage, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** CSV only when the client prefers it to JSON (the first of the two in its {@code Accept}). */
    private static boolean wantsCsv(HttpHeaders headers) {
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isCompatible(MediaType.valueOf(TEXT_CSV)) && !type.isWildcardType()) {
                return true;
            }
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
        }
        return false;
    }

    private interface Lookup<T> {
        Optional<T> find(UUID id);
    }

    private static <T> T found(String id, Lookup<T> lookup) {
        return found(id, lookup, uuid(id));
    }

    private static <T> T found(String id, Lookup<T> lookup, Optional<UUID> meterId) {
        return meterId.flatMap(lookup::find).orElseThrow(() -> new SequenceApiException(404,
                SequenceApiException.NOT_FOUND, "No usage metric with id '" + shown(id) + "'"));
    }

    private static Optional<UUID> uuid(String id) {
        return Optional.of(id).filter(text -> CANONICAL_UUID.matcher(text).matches()).map(UUID::fromString);
    }

    private interface Definition<T> {
        T run();
    }

    /** A create or replace: the domain's refusals in Sequence's names, a taken name as 409. */
    private static <T> T defined(Definition<T> definition) {
        try {
            return definition.run();
        } catch (InvalidInputException e) {
            throw SequenceMeterMapper.rejectedBody(e);
        } catch (MeterNameTakenException e) {
            throw new SequenceApiException(409, SequenceApiException.CONFLICT, e.getMessage(),
                    java.util.List.of(new SequenceError.FieldMessage(SequenceMeterMapper.NAME, e.getMessage())));
        }
    }

    private static <T> T answered(Definition<T> query, Map<String, String> names) {
        try {
            return query.run();
        } catch (InvalidInputException e) {
            throw SequenceMeterMapper.rejectedQuery(e, names);
        }
    }

    private static String shown(String id) {
        return id.length() <= 64 ? id : id.substring(0, 64) + "...";
    }

    @ServerExceptionMapper
    Response unavailable(StoreUnavailableException e) {
        return SequenceErrors.unavailable(e);
    }
}
