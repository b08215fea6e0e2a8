package dev.usageevents.domain.service;

import static dev.usageevents.domain.model.FieldErrors.check;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.EventId;
import dev.usageevents.domain.model.EventName;
import dev.usageevents.domain.model.EventProperties;
import dev.usageevents.domain.model.FieldError;
import dev.usageevents.domain.model.FieldErrors;
import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.NewEvent;
import dev.usageevents.domain.model.PageCursor;
import dev.usageevents.domain.model.UsageEvent;
import dev.usageevents.domain.port.in.EventDraft;
import dev.usageevents.domain.port.in.EventPage;
import dev.usageevents.domain.port.in.EventQuery;
import dev.usageevents.domain.port.in.IngestCommand;
import dev.usageevents.domain.port.in.IngestUsageEvents;
import dev.usageevents.domain.port.in.QueryUsageEvents;
import dev.usageevents.domain.port.out.IdGenerator;
import dev.usageevents.domain.port.out.UsageEventStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/** Ingest and query: validation, defaults and paging here; the supersede rules are applied by the store. */
public final class UsageEventService implements IngestUsageEvents, QueryUsageEvents {

    /** No event may be older than this. */
    public static final Instant EARLIEST_TIMESTAMP = Instant.parse("2000-01-01T00:00:00Z");

    private final UsageEventStore store;
    private final Clock clock;
    private final IdGenerator ids;
    private final Duration maxAhead;

    /**
     * @param maxAhead how far past the server clock an event's timestamp may be
     */
    public UsageEventService(UsageEventStore store, Clock clock, IdGenerator ids, Duration maxAhead) {
        this.store = store;
        this.clock = clock;
        this.ids = ids;
        this.maxAhead = maxAhead;
    }

    @Override
    public CompletionStage<List<IngestOutcome>> ingest(IngestCommand command) {
        List<EventDraft> drafts = command.events();
        if (drafts.isEmpty()) {
            throw InvalidInputException.of("events", "must hold at least one event");
        }
        if (drafts.size() > MAX_BATCH_SIZE) {
            throw InvalidInputException.of("events",
                    "must hold at most " + MAX_BATCH_SIZE + " events (got " + drafts.size() + ")");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<NewEvent> events = new ArrayList<>(drafts.size());
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            List<FieldError> eventErrors = new ArrayList<>();
            NewEvent event = toNewEvent(command, drafts.get(i), now, eventErrors);
            if (eventErrors.isEmpty()) {
                events.add(event);
            }
            for (FieldError error : eventErrors) {
                errors.add(error.at(i));
            }
        }
        FieldErrors.throwIfAny(errors);
        return store.store(command.accountId(), command.rule(), events);
    }

    private NewEvent toNewEvent(IngestCommand command, EventDraft draft, Instant now, List<FieldError> errors) {
        CustomerId customer = check(errors, () -> new CustomerId(draft.customerId()));
        EventId eventId = check(errors, () -> new EventId(
                draft.eventId() == null ? ids.newId().toString() : draft.eventId()));
        EventName name = check(errors, () -> new EventName(draft.eventName()));
        Instant timestamp = check(errors, () -> timestamp(draft.timestamp(), now));
        EventProperties properties = check(errors, () -> EventProperties.of(draft.properties()));
        if (!errors.isEmpty()) {
            return null;
        }
        UsageEvent event = new UsageEvent(ids.newId(), command.accountId(), customer, eventId, name, timestamp,
                properties, command.source(), now, null, null);
        return new NewEvent(event, draft.timestamp() != null);
    }

    private Instant timestamp(Instant given, Instant now) {
        if (given == null) {
            return now;
        }
        Instant t = given.truncatedTo(ChronoUnit.MILLIS);
        if (t.isBefore(EARLIEST_TIMESTAMP)) {
            throw InvalidInputException.of("timestamp", "must not be before " + EARLIEST_TIMESTAMP);
        }
        if (t.isAfter(now.plus(maxAhead))) {
            throw InvalidInputException.of("timestamp",
                    "must not be more than " + maxAhead.toMinutes() + " minutes ahead of the server clock");
        }
        return t;
    }

    @Override
    public Optional<UsageEvent> get(AccountId accountId, UUID id) {
        return store.findById(accountId, id);
    }

    @Override
    public EventPage list(AccountId accountId, EventQuery query) {
        long total = store.count(accountId, query.filter());
        if (query.before() != null) {
            PageCursor before = PageCursor.decode("before", query.before());
            List<UsageEvent> rows = store.find(accountId, query.filter(), query.order().reverse(), before,
                    query.limit() + 1);
            boolean more = rows.size() > query.limit();
            List<UsageEvent> items = new ArrayList<>(rows.subList(0, Math.min(rows.size(), query.limit())));
            Collections.reverse(items);
            return new EventPage(items, items.isEmpty() ? null : cursor(items, items.size() - 1),
                    more ? cursor(items, 0) : null, total);
        }
        PageCursor after = query.after() == null ? null : PageCursor.decode("after", query.after());
        List<UsageEvent> rows = store.find(accountId, query.filter(), query.order(), after, query.limit() + 1);
        boolean more = rows.size() > query.limit();
        List<UsageEvent> items = rows.subList(0, Math.min(rows.size(), query.limit()));
        return new EventPage(items, more ? cursor(items, items.size() - 1) : null,
                after != null && !items.isEmpty() ? cursor(items, 0) : null, total);
    }

    private static String cursor(List<UsageEvent> items, int index) {
        return PageCursor.of(items.get(index)).encode();
    }
}
