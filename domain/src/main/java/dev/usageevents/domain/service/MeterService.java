package dev.usageevents.domain.service;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.EventFilter;
import dev.usageevents.domain.model.EventId;
import dev.usageevents.domain.model.FieldError;
import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.SortOrder;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.model.SupersedeRule;
import dev.usageevents.domain.model.UsageEvent;
import dev.usageevents.domain.model.meter.Aggregation;
import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.domain.model.meter.MeterDefinition;
import dev.usageevents.domain.model.meter.MeterWindows;
import dev.usageevents.domain.port.in.EventDraft;
import dev.usageevents.domain.port.in.IngestCommand;
import dev.usageevents.domain.port.in.IngestUsageEvents;
import dev.usageevents.domain.port.in.ManageMeters;
import dev.usageevents.domain.port.in.MeterDraft;
import dev.usageevents.domain.port.in.MeterListQuery;
import dev.usageevents.domain.port.in.MeterNameTakenException;
import dev.usageevents.domain.port.in.MeterPage;
import dev.usageevents.domain.port.in.MeterQuery;
import dev.usageevents.domain.port.in.MeterResult;
import dev.usageevents.domain.port.in.QueryMeters;
import dev.usageevents.domain.port.in.VoidEvents;
import dev.usageevents.domain.port.out.IdGenerator;
import dev.usageevents.domain.port.out.MeterFilter;
import dev.usageevents.domain.port.out.MeterReader;
import dev.usageevents.domain.port.out.MeterStore;
import dev.usageevents.domain.port.out.UsageEventStore;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Meters: definitions (validated here, stored by the {@link MeterStore}), queries (validated here, computed by the
 * {@link MeterReader}) and voids (a last-wins ingest of a copy of each event's current version for the customer
 * {@value QueryMeters#VOID_CUSTOMER}).
 */
public final class MeterService implements ManageMeters, QueryMeters, VoidEvents {

    public static final int MAX_LIMIT = 100;
    private static final String CURSOR_PREFIX = "meter:";

    private final MeterStore meters;
    private final MeterReader reader;
    private final UsageEventStore events;
    private final IngestUsageEvents ingest;
    private final Clock clock;
    private final IdGenerator ids;

    /**
     * @param events where a void finds the current version of an event
     * @param ingest where a void writes its copy (the metered ingest, so that voids are counted like any write)
     */
    public MeterService(MeterStore meters, MeterReader reader, UsageEventStore events, IngestUsageEvents ingest,
            Clock clock, IdGenerator ids) {
        this.meters = meters;
        this.reader = reader;
        this.events = events;
        this.ingest = ingest;
        this.clock = clock;
        this.ids = ids;
    }

    @Override
    public Meter create(AccountId accountId, MeterDraft draft) {
        MeterDefinition definition = MeterValidation.definition(draft);
        Meter meter = new Meter(ids.newId(), accountId, definition, now(), null);
        if (!meters.insert(meter)) {
            throw new MeterNameTakenException(definition.name());
        }
        return meter;
    }

    @Override
    public Optional<Meter> get(AccountId accountId, UUID id) {
        return meters.findById(accountId, id).filter(Meter::isLive);
    }

    @Override
    public Optional<Meter> findByName(AccountId accountId, String name) {
        return name == null ? Optional.empty() : meters.findLiveByName(accountId, name);
    }

    @Override
    public MeterPage list(AccountId accountId, MeterListQuery query) {
        List<FieldError> errors = new ArrayList<>();
        if (query.limit() < 1 || query.limit() > MAX_LIMIT) {
            errors.add(FieldError.of("limit", "must be between 1 and " + MAX_LIMIT + " (got " + query.limit() + ")"));
        }
        if (query.after() != null && query.before() != null) {
            errors.add(FieldError.of("before", "must not be given with after"));
        }
        Aggregation aggregation = null;
        if (query.aggregation() != null) {
            try {
                aggregation = MeterValidation.aggregation(query.aggregation());
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
            }
        }
        UUID after = cursor(errors, "after", query.after());
        UUID before = cursor(errors, "before", query.before());
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        MeterFilter filter = new MeterFilter(query.name(), query.eventName(), aggregation);
        long total = meters.countLive(accountId, filter);
        List<Meter> rows = meters.findLive(accountId, filter, after, before, query.limit() + 1);
        boolean more = rows.size() > query.limit();
        if (before != null) {
            List<Meter> items = more ? rows.subList(1, rows.size()) : rows;
            return new MeterPage(items, items.isEmpty() ? null : encode(items.get(items.size() - 1)),
                    more ? encode(items.get(0)) : null, total);
        }
        List<Meter> items = more ? rows.subList(0, query.limit()) : rows;
        return new MeterPage(items, more ? encode(items.get(items.size() - 1)) : null,
                after != null && !items.isEmpty() ? encode(items.get(0)) : null, total);
    }

    private static String encode(Meter meter) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + meter.id()).getBytes(StandardCharsets.US_ASCII));
    }

    private static UUID cursor(List<FieldError> errors, String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            if (!plain.startsWith(CURSOR_PREFIX)) {
                throw new IllegalArgumentException("not a meter cursor");
            }
            return UUID.fromString(plain.substring(CURSOR_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.of(field, "is not a cursor of this list"));
            return null;
        }
    }

    @Override
    public Optional<Meter> replace(AccountId accountId, UUID id, MeterDraft draft) {
        MeterDefinition definition = MeterValidation.definition(draft);
        Optional<Meter> existing = get(accountId, id);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        Meter meter = new Meter(id, accountId, definition, existing.get().createdAt(), null);
        if (!meters.update(meter)) {
            throw new MeterNameTakenException(definition.name());
        }
        return get(accountId, id);
    }

    @Override
    public Optional<Meter> delete(AccountId accountId, UUID id) {
        Optional<Meter> existing = get(accountId, id);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        Meter deleted = new Meter(id, accountId, existing.get().definition(), existing.get().createdAt(), now());
        meters.update(deleted);
        return meters.findById(accountId, id).filter(m -> deleted.deletedAt().equals(m.deletedAt()));
    }

    @Override
    public Optional<MeterResult> query(AccountId accountId, UUID meterId, MeterQuery query) {
        MeterWindows windows = MeterValidation.windows(query);
        return get(accountId, meterId).map(meter -> reader.aggregate(meter, windows));
    }

    @Override
    public Optional<List<BigDecimal>> trailing(AccountId accountId, UUID meterId, CustomerId customer,
            List<Instant> starts, Instant to) {
        if (starts.isEmpty() || starts.stream().anyMatch(start -> !start.isBefore(to))) {
            throw InvalidInputException.of("from", "every period must start before it ends");
        }
        return get(accountId, meterId).map(meter -> reader.trailing(meter, customer, starts, to));
    }

    @Override
    public CompletionStage<List<IngestOutcome>> voidEvents(AccountId accountId, Source source, List<String> eventIds) {
        if (eventIds == null || eventIds.isEmpty()) {
            throw InvalidInputException.of("eventIds", "must name at least one event");
        }
        if (eventIds.size() > IngestUsageEvents.MAX_BATCH_SIZE) {
            throw InvalidInputException.of("eventIds", "must name at most " + IngestUsageEvents.MAX_BATCH_SIZE
                    + " events (got " + eventIds.size() + ")");
        }
        List<FieldError> errors = new ArrayList<>();
        List<EventDraft> drafts = new ArrayList<>(eventIds.size());
        for (int i = 0; i < eventIds.size(); i++) {
            String field = "eventIds[" + i + "]";
            EventId eventId;
            try {
                eventId = new EventId(eventIds.get(i));
            } catch (InvalidInputException e) {
                e.errors().forEach(error -> errors.add(FieldError.of(field, error.message())));
                continue;
            }
            List<UsageEvent> current = events.find(accountId, new EventFilter(null, null, eventId, null, null, false),
                    SortOrder.ASC, null, 1);
            if (current.isEmpty()) {
                errors.add(FieldError.of(field, "no event of this account has the id '" + eventId + "'"));
                continue;
            }
            UsageEvent event = current.get(0);
            drafts.add(new EventDraft(VOID_CUSTOMER, event.eventId().value(), event.eventName().value(),
                    event.timestamp(), event.properties().values()));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return ingest.ingest(new IngestCommand(accountId, source, SupersedeRule.LAST_WINS, drafts));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
