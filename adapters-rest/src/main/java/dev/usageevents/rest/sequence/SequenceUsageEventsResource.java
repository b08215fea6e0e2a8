package dev.usageevents.rest.sequence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.usageevents.domain.model.Account;
import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.model.SupersedeRule;
import dev.usageevents.domain.model.UsageEvent;
import dev.usageevents.domain.port.in.EventDraft;
import dev.usageevents.domain.port.in.EventQuery;
import dev.usageevents.domain.port.in.IdempotencyKeys;
import dev.usageevents.domain.port.in.IngestCommand;
import dev.usageevents.domain.port.in.IngestUsageEvents;
import dev.usageevents.domain.port.in.Lookup;
import dev.usageevents.domain.port.in.QueryUsageEvents;
import dev.usageevents.domain.port.in.ThrottleCallers.CallKind;
import dev.usageevents.domain.port.out.StoreUnavailableException;
import dev.usageevents.rest.common.Workers;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import io.smallrye.mutiny.infrastructure.Infrastructure;
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

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final IngestUsageEvents ingest;
    private final QueryUsageEvents events;
    private final SequenceAuthenticator authenticator;
    private final IdempotencyKeys keys;
    private final ObjectWriter eventJson;
    private volatile EventsUri eventsUri;

    SequenceUsageEventsResource(IngestUsageEvents ingest, QueryUsageEvents events,
            SequenceAuthenticator authenticator, IdempotencyKeys keys, ObjectMapper json) {
        this.eventJson = json.writerFor(SequenceUsageEvent.class);
        this.keys = keys;
        this.ingest = ingest;
        this.events = events;
        this.authenticator = authenticator;
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
    public CompletionStage<Response> create(HttpHeaders headers, @Context UriInfo uri,
            @Context HttpServerRequest request, byte[] body) {
        String events = eventsUri(request, uri);
        String idempotencyKey = headers.getHeaderString(IDEMPOTENCY_KEY);
        if (idempotencyKey != null) {
            return Workers.call(() -> createOnce(authenticator.authenticate(headers, CallKind.INGEST), idempotencyKey,
                    events, body)).thenCompose(answer -> answer);
        }
        Optional<Account> known = authenticator.account(headers.getHeaderString(HttpHeaders.AUTHORIZATION),
                Lookup.WITHOUT_BLOCKING);
        if (known.isPresent() && body.length < Workers.LARGE_BODY) {
            return create(authenticator.admitted(known.get(), CallKind.INGEST), events, SequenceRequests.toDraft(body));
        }
        return Workers.call(() -> Map.entry(known.isPresent() ? authenticator.admitted(known.get(), CallKind.INGEST)
                        : authenticator.authenticate(headers, CallKind.INGEST), SequenceRequests.toDraft(body)))
                .thenCompose(parsed -> create(parsed.getKey(), events, parsed.getValue()));
    }

    /**
     * The event loop's part of a create (a worker's, for a large body or a caller not known at once): the event is
     * queued for the next group commit. The answer is written when that commit is done; no thread waits for it
     * meanwhile.
     */
    private CompletionStage<Response> create(Account account, String events, EventDraft draft) {
        CompletionStage<List<IngestOutcome>> committed;
        try {
            committed = ingest.ingest(new IngestCommand(account.id(), Source.SEQUENCE, SupersedeRule.LAST_WINS,
                    List.of(draft)));
        } catch (InvalidInputException e) {
            throw SequenceRequests.rejectedBody(e);
        }
        return committed.thenApplyAsync(outcomes -> created(events, outcomes.get(0).event()), onThisContext());
    }

    /**
     * A create with an {@code Idempotency-Key}, on a worker thread (the key is claimed in the database): the
     * first request with the key stores its event; a retry with the same body answers that event (201, same id),
     * one with another body is refused with 422. Of requests racing with one key, the database lets one store
     * the event: they all carry the event id the key was claimed with, so the others are exact replays.
     */
    private CompletionStage<Response> createOnce(Account account, String key, String events, byte[] body) {
        EventDraft draft = SequenceRequests.toDraft(body);
        byte[] digest = sha256(body);
        IdempotencyKeys.Claim claim;
        try {
            claim = keys.claim(account.id(), key, digest, draft.eventId());
        } catch (InvalidInputException e) {
            throw SequenceApiException.invalid(IDEMPOTENCY_KEY, e.errors().get(0).message());
        }
        if (!claim.sameRequest()) {
            throw new SequenceApiException(422, SequenceApiException.IDEMPOTENCY_KEY_REUSED, "The Idempotency-Key was "
                    + "sent with another request body within the last 24 hours; send a new key for a new request");
        }
        Optional<UsageEvent> first = claim.answer().flatMap(id -> this.events.get(account.id(), id));
        if (first.isPresent()) {
            return CompletableFuture.completedFuture(created(events, first.get()));
        }
        EventDraft keyed = new EventDraft(draft.customerId(), claim.eventId(), draft.eventName(), draft.timestamp(),
                draft.properties());
        CompletionStage<List<IngestOutcome>> committed;
        try {
            committed = ingest.ingest(new IngestCommand(account.id(), Source.SEQUENCE, SupersedeRule.LAST_WINS,
                    List.of(keyed)));
        } catch (InvalidInputException e) {
            keys.release(account.id(), key, digest);
            throw SequenceRequests.rejectedBody(e);
        }
        return committed.thenApplyAsync(outcomes -> {
            UsageEvent stored = outcomes.get(0).event();
            keys.answered(account.id(), key, stored.id());
            return created(events, stored);
        }, Infrastructure.getDefaultWorkerPool());
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * The answer to a create, written as JSON here: the generic writer (a writer looked up by type and media type
     * for each answer, then a stream over the response) was a large share of the event loop's time per event
     * (bench/RESULTS.md).
     */
    private Response created(String events, UsageEvent stored) {
        SequenceUsageEvent event = SequenceResponses.toSequence(stored);
        byte[] json;
        try {
            json = eventJson.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored event could not be written as JSON", e);
        }
        return Response.status(Response.Status.CREATED).header(HttpHeaders.LOCATION, events + event.id())
                .type(MediaType.APPLICATION_JSON_TYPE).entity(json).build();
    }

    /**
     * Runs the answer on the request's own Vert.x context (its event loop) rather than on the thread that
     * completed the commit, which is then free for the next group at once.
     */
    private static Executor onThisContext() {
        io.vertx.core.Context context = Vertx.currentContext();
        return context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
    }

    /**
     * The absolute URI of this collection, with a trailing slash, as the request addressed it; remembered for the
     * last scheme and host seen, as building it anew for each event (URI parsing, twice) showed in the event loop's
     * profile (bench/RESULTS.md).
     */
    private String eventsUri(HttpServerRequest request, UriInfo uri) {
        EventsUri known = eventsUri;
        String scheme = request.scheme();
        String host = request.host();
        if (known == null || !Objects.equals(known.scheme(), scheme) || !Objects.equals(known.host(), host)) {
            known = new EventsUri(scheme, host, uri.getBaseUriBuilder().path("api/usage-events/").build().toString());
            eventsUri = known;
        }
        return known.uri();
    }

    private record EventsUri(String scheme, String host, String uri) {
    }

    @GET
    @Operation(operationId = SequenceOpenApiFilter.LIST, summary = "List all usage events")
    public Response list(HttpHeaders headers,
            @QueryParam(SequenceListParams.CUSTOMER_ALIAS) String customerAlias,
            @QueryParam(SequenceListParams.EVENT_TYPE) String eventType,
            @QueryParam(SequenceListParams.EVENT_ID) String eventId,
            @QueryParam(SequenceListParams.EVENT_TIMESTAMP_AFTER) String eventTimestampAfter,
            @QueryParam(SequenceListParams.EVENT_TIMESTAMP_BEFORE) String eventTimestampBefore,
            @QueryParam(SequenceListParams.SORT_ORDER) String sortOrder,
            @QueryParam(SequenceListParams.LIMIT) String limit,
            @QueryParam("after") String after,
            @QueryParam("before") String before,
            @QueryParam(SequenceListParams.OFFSET) String offset) {
        Account account = authenticator.authenticate(headers, CallKind.OTHER);
        SequenceUsageEventList page;
        try {
            Optional<EventQuery> query = SequenceRequests.toQuery(new SequenceListParams(customerAlias,
                    eventType, eventId, eventTimestampAfter, eventTimestampBefore, sortOrder, limit, after, before,
                    offset));
            page = query.map(q -> SequenceResponses.toSequence(events.list(account.id(), q)))
                    .orElseGet(SequenceResponses::emptyList);
        } catch (InvalidInputException e) {
            throw SequenceRequests.rejectedQuery(e);
        }
        return Response.ok(page).build();
    }

    /** Any version of an event of the caller's account, superseded ones included; 404 for anything else. */
    @GET
    @Path("/{id}")
    @Operation(operationId = SequenceOpenApiFilter.GET, summary = "Retrieve a usage event by its id")
    public Response get(HttpHeaders headers, @PathParam("id") String id) {
        Account account = authenticator.authenticate(headers, CallKind.OTHER);
        return Optional.of(id).filter(text -> CANONICAL_UUID.matcher(text).matches())
                .flatMap(text -> events.get(account.id(), UUID.fromString(text)))
                .map(event -> Response.ok(SequenceResponses.toSequence(event)).build())
                .orElseThrow(() -> new SequenceApiException(404, SequenceApiException.NOT_FOUND,
                        "No usage event with id '" + (id.length() <= 64 ? id : id.substring(0, 64) + "...") + "'"));
    }

    /** A domain refusal that no call translated: the domain's field names are renamed as in a request body. */
    @ServerExceptionMapper
    Response invalid(InvalidInputException e) {
        return SequenceErrors.refuse(SequenceRequests.rejectedBody(e));
    }

    @ServerExceptionMapper
    Response unavailable(StoreUnavailableException e) {
        return SequenceErrors.unavailable(e);
    }
}
