package dev.usageevents.rest.sequence;

import dev.usageevents.domain.model.Account;
import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.model.SupersedeRule;
import dev.usageevents.domain.port.in.AuthenticateCallers;
import dev.usageevents.domain.port.in.EventDraft;
import dev.usageevents.domain.port.in.EventQuery;
import dev.usageevents.domain.port.in.IngestCommand;
import dev.usageevents.domain.port.in.IngestUsageEvents;
import dev.usageevents.domain.port.in.QueryUsageEvents;
import dev.usageevents.domain.port.in.ThrottleCallers;
import dev.usageevents.domain.port.in.ThrottleCallers.Admission;
import dev.usageevents.domain.port.in.ThrottleCallers.CallKind;
import dev.usageevents.domain.port.out.StoreUnavailableException;
import dev.usageevents.rest.common.Workers;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Sequence's usage-events API ({@code /api/usage-events}): a client written for Sequence works against this
 * service by changing only its base URL and credentials. Last wins: a new event with the customer event id of
 * a current one supersedes it. The OpenAPI description of these operations is {@link SequenceOpenApiFilter}'s.
 */
@Path("/api/usage-events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = SequenceOpenApiFilter.TAG, description = "Sequence-compatible usage events (Authorization: Basic)")
public class SequenceUsageEventsResource {

    private static final Logger LOG = Logger.getLogger(SequenceUsageEventsResource.class);
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final IngestUsageEvents ingest;
    private final QueryUsageEvents events;
    private final AuthenticateCallers callers;
    private final ThrottleCallers throttle;

    SequenceUsageEventsResource(IngestUsageEvents ingest, QueryUsageEvents events, AuthenticateCallers callers,
            ThrottleCallers throttle) {
        this.ingest = ingest;
        this.events = events;
        this.callers = callers;
        this.throttle = throttle;
    }

    /**
     * Every outcome answers 201 with the event that is current afterwards. A new event or a new version
     * (CREATED, SUPERSEDED_PREVIOUS) is the event just stored. An exact replay (REPLAY: same customer, type,
     * timestamp and properties as the current version) stores nothing and answers the stored original with its
     * original id — also with 201, as Sequence documents no other success status for this call: a client
     * retrying a POST whose first answer it lost gets the answer it would have got the first time.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = SequenceOpenApiFilter.CREATE, summary = "Create a new usage event")
    public CompletionStage<Response> create(HttpHeaders headers, @Context UriInfo uri, byte[] body) {
        URI events = uri.getBaseUriBuilder().path("api/usage-events/").build();
        Optional<Account> known = BasicCredentials.parse(headers.getHeaderString(HttpHeaders.AUTHORIZATION))
                .flatMap(c -> callers.bySequenceCredentialsIfCached(c.clientId(), c.clientSecret()));
        if (known.isPresent()) {
            return create(admitted(known.get(), CallKind.INGEST), events, body);
        }
        return Workers.call(() -> authenticate(headers, CallKind.INGEST))
                .thenCompose(account -> create(account, events, body));
    }

    /**
     * The event loop's part of a create: parsing and validation, then the event is queued for the next group
     * commit. The answer is written when that commit is done; no thread waits for it meanwhile.
     */
    private CompletionStage<Response> create(Account account, URI events, byte[] body) {
        EventDraft draft = SequenceMapper.toDraft(body);
        CompletionStage<List<IngestOutcome>> committed;
        try {
            committed = ingest.ingest(new IngestCommand(account.id(), Source.SEQUENCE, SupersedeRule.LAST_WINS,
                    List.of(draft)));
        } catch (InvalidInputException e) {
            throw SequenceMapper.rejectedBody(e);
        }
        return committed.thenApply(outcomes -> {
            SequenceUsageEvent event = SequenceMapper.toSequence(outcomes.get(0).event());
            return Response.created(events.resolve(event.id())).entity(event).build();
        });
    }

    @GET
    @Operation(operationId = SequenceOpenApiFilter.LIST, summary = "List all usage events")
    public Response list(HttpHeaders headers,
            @QueryParam(SequenceMapper.ListParams.CUSTOMER_ALIAS) String customerAlias,
            @QueryParam(SequenceMapper.ListParams.EVENT_TYPE) String eventType,
            @QueryParam(SequenceMapper.ListParams.EVENT_ID) String eventId,
            @QueryParam(SequenceMapper.ListParams.EVENT_TIMESTAMP_AFTER) String eventTimestampAfter,
            @QueryParam(SequenceMapper.ListParams.EVENT_TIMESTAMP_BEFORE) String eventTimestampBefore,
            @QueryParam(SequenceMapper.ListParams.SORT_ORDER) String sortOrder,
            @QueryParam(SequenceMapper.ListParams.LIMIT) String limit,
            @QueryParam("after") String after,
            @QueryParam("before") String before,
            @QueryParam(SequenceMapper.ListParams.OFFSET) String offset) {
        Account account = authenticate(headers, CallKind.OTHER);
        SequenceUsageEventList page;
        try {
            Optional<EventQuery> query = SequenceMapper.toQuery(new SequenceMapper.ListParams(customerAlias,
                    eventType, eventId, eventTimestampAfter, eventTimestampBefore, sortOrder, limit, after, before,
                    offset));
            page = query.map(q -> SequenceMapper.toSequence(events.list(account.id(), q)))
                    .orElseGet(SequenceMapper::emptyList);
        } catch (InvalidInputException e) {
            throw SequenceMapper.rejectedQuery(e);
        }
        return Response.ok(page).build();
    }

    /** Any version of an event of the caller's account, superseded ones included; 404 for anything else. */
    @GET
    @Path("/{id}")
    @Operation(operationId = SequenceOpenApiFilter.GET, summary = "Retrieve a usage event by its id")
    public Response get(HttpHeaders headers, @PathParam("id") String id) {
        Account account = authenticate(headers, CallKind.OTHER);
        return Optional.of(id).filter(text -> CANONICAL_UUID.matcher(text).matches())
                .flatMap(text -> events.get(account.id(), UUID.fromString(text)))
                .map(event -> Response.ok(SequenceMapper.toSequence(event)).build())
                .orElseThrow(() -> new SequenceApiException(404, SequenceApiException.NOT_FOUND,
                        "No usage event with id '" + (id.length() <= 64 ? id : id.substring(0, 64) + "...") + "'"));
    }

    /** The caller's account, once its credentials are checked and its rate limit (if any) admits the call. */
    private Account authenticate(HttpHeaders headers, CallKind kind) {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            throw new SequenceApiException(401, SequenceApiException.UNAUTHORIZED,
                    "Send your client id and secret as 'Authorization: Basic base64(clientId:clientSecret)'");
        }
        Account account = BasicCredentials.parse(authorization)
                .flatMap(c -> callers.bySequenceCredentials(c.clientId(), c.clientSecret()))
                .orElseThrow(() -> new SequenceApiException(401, SequenceApiException.UNAUTHORIZED,
                        "The Authorization header does not hold a valid client id and secret"));
        return admitted(account, kind);
    }

    /** The account, once its rate limit (if any) admits a call of {@code kind}. */
    private Account admitted(Account account, CallKind kind) {
        Admission admission = throttle.admit("sequence:" + account.sequenceClientId(), kind);
        if (!admission.allowed()) {
            throw SequenceApiException.rateLimited(admission.retryAfterSeconds());
        }
        return account;
    }

    @ServerExceptionMapper
    Response refused(SequenceApiException e) {
        return SequenceHttpFilters.refuse(e);
    }

    /** A domain refusal that no call translated: the domain's field names are renamed as in a request body. */
    @ServerExceptionMapper
    Response invalid(InvalidInputException e) {
        return refused(SequenceMapper.rejectedBody(e));
    }

    @ServerExceptionMapper
    Response unavailable(StoreUnavailableException e) {
        LOG.warn("Sequence API: the event store is unavailable", e);
        return Response.fromResponse(refused(new SequenceApiException(503, SequenceApiException.SERVICE_UNAVAILABLE,
                "The service cannot store or read events right now; nothing was stored. Retry later.")))
                .header("Retry-After", "5").build();
    }
}
