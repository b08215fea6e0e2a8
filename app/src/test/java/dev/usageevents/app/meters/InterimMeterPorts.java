package dev.usageevents.app.meters;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.EventFilter;
import dev.usageevents.domain.model.EventId;
import dev.usageevents.domain.model.EventName;
import dev.usageevents.domain.model.FieldError;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.SortOrder;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.model.meter.Aggregation;
import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.domain.model.meter.MeterDefinition;
import dev.usageevents.domain.model.meter.PropertyPath;
import dev.usageevents.domain.model.meter.WindowSize;
import dev.usageevents.domain.port.in.EventQuery;
import dev.usageevents.domain.port.in.ManageMeters;
import dev.usageevents.domain.port.in.MeterDraft;
import dev.usageevents.domain.port.in.MeterListQuery;
import dev.usageevents.domain.port.in.MeterNameTakenException;
import dev.usageevents.domain.port.in.MeterPage;
import dev.usageevents.domain.port.in.MeterQuery;
import dev.usageevents.domain.port.in.MeterResult;
import dev.usageevents.domain.port.in.MeterRow;
import dev.usageevents.domain.port.in.QueryMeters;
import dev.usageevents.domain.port.in.QueryUsageEvents;
import dev.usageevents.domain.port.in.VoidEvents;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Stand-ins for the meter in-ports while the domain's implementation (branch {@code meters}) is not merged: the
 * application needs a bean for each port to start. They are {@link DefaultBean}s, so the domain's producers in
 * {@code DomainConfiguration} replace them as soon as they exist; delete this class then. They keep meters in
 * memory with the validation the adapters' tests rely on, and answer every query with empty windows: tests that
 * read counted values pass only against the real implementation.
 */
public class InterimMeterPorts {

    @Produces
    @Singleton
    @DefaultBean
    @Typed(InMemoryMeters.class)
    InMemoryMeters meters() {
        return new InMemoryMeters();
    }

    @Produces
    @Singleton
    @DefaultBean
    ManageMeters manage(InMemoryMeters meters) {
        return meters;
    }

    @Produces
    @Singleton
    @DefaultBean
    QueryMeters query(InMemoryMeters meters) {
        return meters;
    }

    /**
     * Refuses what the port documents as invalid (no id, an empty one, an id of no current event of the account);
     * voiding itself is the domain's, and fails here.
     */
    @Produces
    @Singleton
    @DefaultBean
    VoidEvents voids(QueryUsageEvents events) {
        return (AccountId accountId, Source source, List<String> eventIds) -> {
            if (eventIds.isEmpty()) {
                throw InvalidInputException.of("eventIds", "must name at least one event");
            }
            List<FieldError> errors = new ArrayList<>();
            for (int i = 0; i < eventIds.size(); i++) {
                String id = eventIds.get(i);
                if (id.isEmpty() || events.list(accountId, new EventQuery(new EventFilter(null, null,
                        new EventId(id), null, null, false), SortOrder.ASC, 1, null, null)).items().isEmpty()) {
                    errors.add(FieldError.of("eventIds[" + i + "]", "no event of this account has the id '" + id
                            + "'"));
                }
            }
            if (!errors.isEmpty()) {
                throw new InvalidInputException(errors);
            }
            return CompletableFuture.failedStage(
                    new UnsupportedOperationException("voiding is implemented on branch meters"));
        };
    }

    /** Meters in memory, validated as the ports document; queries answer empty windows. */
    static final class InMemoryMeters implements ManageMeters, QueryMeters {

        private final Map<UUID, Meter> meters = new ConcurrentHashMap<>();

        @Override
        public synchronized Meter create(AccountId accountId, MeterDraft draft) {
            MeterDefinition definition = validate(draft);
            taken(accountId, definition.name(), null);
            Meter meter = new Meter(UUID.randomUUID(), accountId, definition, Instant.now(), null);
            meters.put(meter.id(), meter);
            return meter;
        }

        @Override
        public Optional<Meter> get(AccountId accountId, UUID id) {
            return Optional.ofNullable(meters.get(id)).filter(m -> m.accountId().equals(accountId) && m.isLive());
        }

        @Override
        public Optional<Meter> findByName(AccountId accountId, String name) {
            return live(accountId).filter(m -> m.definition().name().equals(name)).findFirst();
        }

        @Override
        public MeterPage list(AccountId accountId, MeterListQuery query) {
            List<Meter> all = live(accountId)
                    .filter(m -> query.name() == null || m.definition().name().equals(query.name()))
                    .filter(m -> query.eventName() == null || m.definition().eventName().value()
                            .equals(query.eventName()))
                    .filter(m -> query.aggregation() == null || m.definition().aggregation().name()
                            .equals(query.aggregation()))
                    .sorted(Comparator.comparing(Meter::createdAt)).toList();
            return new MeterPage(all.subList(0, Math.min(query.limit(), all.size())), null, null, all.size());
        }

        @Override
        public synchronized Optional<Meter> replace(AccountId accountId, UUID id, MeterDraft draft) {
            Optional<Meter> found = get(accountId, id);
            if (found.isEmpty()) {
                return found;
            }
            MeterDefinition definition = validate(draft);
            taken(accountId, definition.name(), id);
            Meter meter = new Meter(id, accountId, definition, found.get().createdAt(), null);
            meters.put(id, meter);
            return Optional.of(meter);
        }

        @Override
        public synchronized Optional<Meter> delete(AccountId accountId, UUID id) {
            return get(accountId, id).map(m -> {
                Meter deleted = new Meter(id, accountId, m.definition(), m.createdAt(), Instant.now());
                meters.put(id, deleted);
                return deleted;
            });
        }

        @Override
        public Optional<MeterResult> query(AccountId accountId, UUID meterId, MeterQuery query) {
            Optional<Meter> meter = get(accountId, meterId);
            if (meter.isEmpty()) {
                return Optional.empty();
            }
            List<FieldError> errors = new ArrayList<>();
            if (query.from() == null || query.to() == null || !query.from().isBefore(query.to())) {
                errors.add(FieldError.of("from", "must be before to"));
            }
            if (query.windowSize() != null && Arrays.stream(WindowSize.values())
                    .noneMatch(size -> size.name().equals(query.windowSize()))) {
                errors.add(FieldError.of("windowSize", "must be one of " + Arrays.toString(WindowSize.values())));
            }
            if (query.timeZone() != null) {
                try {
                    ZoneId.of(query.timeZone());
                } catch (DateTimeException e) {
                    errors.add(FieldError.of("timeZone", "is not an IANA time zone"));
                }
            }
            for (int i = 0; i < query.groupBy().size(); i++) {
                pathError("groupBy[" + i + "]", query.groupBy().get(i), errors);
            }
            if (query.customerIds().size() > MAX_CUSTOMERS) {
                errors.add(FieldError.of("customerIds", "must name at most " + MAX_CUSTOMERS + " customers"));
            }
            if (!errors.isEmpty()) {
                throw new InvalidInputException(errors);
            }
            boolean zeroWhenEmpty = Set.of(Aggregation.COUNT, Aggregation.SUM, Aggregation.UNIQUE_COUNT)
                    .contains(meter.get().definition().aggregation());
            Map<String, Object> groups = new LinkedHashMap<>();
            query.groupBy().forEach(path -> groups.put(path, null));
            List<MeterRow> rows = new ArrayList<>();
            List<String> customers = query.groupByCustomer() ? query.customerIds() : Arrays.asList((String) null);
            ZoneId zone = ZoneId.of(query.timeZone() == null ? "UTC" : query.timeZone());
            Instant start = query.from();
            while (start.isBefore(query.to())) {
                Instant end = query.windowSize() == null ? query.to()
                        : min(next(start, WindowSize.valueOf(query.windowSize()), zone), query.to());
                for (String customer : customers) {
                    rows.add(new MeterRow(start, end, customer, groups, zeroWhenEmpty ? BigDecimal.ZERO : null, 0));
                }
                start = end;
            }
            return Optional.of(new MeterResult(meter.get(), rows, 0, null, null));
        }

        private static Instant next(Instant start, WindowSize size, ZoneId zone) {
            java.time.ZonedDateTime at = start.atZone(zone);
            return switch (size) {
                case MINUTE -> at.plusMinutes(1).toInstant();
                case HOUR -> at.plusHours(1).toInstant();
                case DAY -> at.plusDays(1).toInstant();
                case WEEK -> at.plusWeeks(1).toInstant();
                case MONTH -> at.plusMonths(1).toInstant();
            };
        }

        private static Instant min(Instant a, Instant b) {
            return a.isBefore(b) ? a : b;
        }

        private java.util.stream.Stream<Meter> live(AccountId accountId) {
            return meters.values().stream().filter(m -> m.accountId().equals(accountId) && m.isLive());
        }

        private void taken(AccountId accountId, String name, UUID self) {
            if (live(accountId).anyMatch(m -> m.definition().name().equals(name) && !m.id().equals(self))) {
                throw new MeterNameTakenException(name);
            }
        }

        private static MeterDefinition validate(MeterDraft draft) {
            List<FieldError> errors = new ArrayList<>();
            if (draft.name() == null || draft.name().isBlank()) {
                errors.add(FieldError.of("name", "is required"));
            }
            EventName eventName = null;
            try {
                eventName = new EventName(draft.eventName());
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
            }
            Aggregation aggregation = Arrays.stream(Aggregation.values())
                    .filter(a -> a.name().equals(draft.aggregation())).findFirst().orElse(null);
            if (aggregation == null) {
                errors.add(FieldError.of("aggregation", "must be one of " + Arrays.toString(Aggregation.values())));
            } else if (draft.valueProperty() != null && aggregation.needsValueProperty()) {
                pathError("valueProperty", draft.valueProperty(), errors);
            } else if (aggregation.needsValueProperty()) {
                errors.add(FieldError.of("valueProperty", "is required for " + aggregation));
            } else if (!aggregation.needsValueProperty() && draft.valueProperty() != null) {
                errors.add(FieldError.of("valueProperty", "must be absent for COUNT"));
            }
            Map<PropertyPath, List<String>> filters = new LinkedHashMap<>();
            if (draft.propertyFilters() != null) {
                draft.propertyFilters().forEach((path, values) -> {
                    boolean scalars = values instanceof List<?> list && !list.isEmpty() && list.stream()
                            .allMatch(v -> v instanceof String || v instanceof Number || v instanceof Boolean);
                    if (!scalars) {
                        errors.add(FieldError.of("propertyFilters." + path, "must be an array of scalars"));
                    } else if (!pathError("propertyFilters." + path, path, errors)) {
                        filters.put(path(path), ((List<?>) values).stream().map(String::valueOf).toList());
                    }
                });
            }
            if (!errors.isEmpty()) {
                throw new InvalidInputException(errors);
            }
            Set<PropertyPath> negate = draft.propertiesToNegate() == null ? Set.of()
                    : draft.propertiesToNegate().stream().map(InMemoryMeters::path).collect(Collectors.toSet());
            return new MeterDefinition(draft.name(), eventName, aggregation,
                    draft.valueProperty() == null ? null : path(draft.valueProperty()), filters, negate,
                    draft.caseSensitive() == null || draft.caseSensitive(), draft.unit(), draft.description());
        }

        /** Adds the error of a bad path (empty, an empty segment, over 16 levels); true when it did. */
        private static boolean pathError(String field, String dotted, List<FieldError> errors) {
            List<String> segments = Arrays.asList(dotted.split("\\.", -1));
            if (dotted.isEmpty() || segments.contains("") || segments.size() > PropertyPath.MAX_DEPTH) {
                errors.add(FieldError.of(field, "must be a property path of 1 to 16 non-empty segments"));
                return true;
            }
            return false;
        }

        private static PropertyPath path(String dotted) {
            return new PropertyPath(List.of(dotted.split("\\.")));
        }
    }
}
