package dev.usageevents.app;

import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.port.in.IngestCommand;
import dev.usageevents.domain.port.in.IngestUsageEvents;
import dev.usageevents.domain.port.out.StoreUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Counts what ingestion does, by channel: {@code usage_events_total{source, outcome}} with the outcomes
 * created, superseded, duplicate, replay and rejected, and {@code usage_ingest_batch_events{source}}. Writes the
 * store could not take are counted in {@code usage_ingest_refused_total{source, reason}} (reason
 * {@code unavailable}, or {@code outcome_unknown} when the commit broke midway and the events may be stored), and
 * logged once per outage, not once per request: one WARN when refusals begin, one when a write succeeds again.
 */
final class MeteredIngest implements IngestUsageEvents {

    private static final Logger LOG = Logger.getLogger(MeteredIngest.class);

    private final IngestUsageEvents delegate;
    private final Map<Source, Map<IngestOutcome.Kind, Counter>> outcomes = new EnumMap<>(Source.class);
    private final Map<Source, Counter> rejected = new EnumMap<>(Source.class);
    private final Map<Source, DistributionSummary> batches = new EnumMap<>(Source.class);
    private final Map<Source, Counter> unavailable = new EnumMap<>(Source.class);
    private final Map<Source, Counter> outcomeUnknown = new EnumMap<>(Source.class);
    /** Whether the last write ended in a refusal; flips at most once per outage. */
    private final AtomicBoolean outage = new AtomicBoolean();
    private final AtomicLong refusedInOutage = new AtomicLong();

    MeteredIngest(IngestUsageEvents delegate, MeterRegistry registry) {
        this.delegate = delegate;
        for (Source source : Source.values()) {
            String channel = source.name().toLowerCase(Locale.ROOT);
            Map<IngestOutcome.Kind, Counter> bySource = new EnumMap<>(IngestOutcome.Kind.class);
            for (IngestOutcome.Kind kind : IngestOutcome.Kind.values()) {
                bySource.put(kind, events(registry, channel, outcomeName(kind)));
            }
            outcomes.put(source, bySource);
            rejected.put(source, events(registry, channel, "rejected"));
            unavailable.put(source, refused(registry, channel, "unavailable"));
            outcomeUnknown.put(source, refused(registry, channel, "outcome_unknown"));
            batches.put(source, DistributionSummary.builder("usage.ingest.batch.events")
                    .description("Events per ingest call").tag("source", channel).register(registry));
        }
    }

    private static Counter events(MeterRegistry registry, String source, String outcome) {
        return Counter.builder("usage.events").description("Events received, by channel and outcome")
                .tag("source", source).tag("outcome", outcome).register(registry);
    }

    private static Counter refused(MeterRegistry registry, String source, String reason) {
        return Counter.builder("usage.ingest.refused")
                .description("Ingest calls answered 503 / UNAVAILABLE because the store could not take them")
                .tag("source", source).tag("reason", reason).register(registry);
    }

    private static String outcomeName(IngestOutcome.Kind kind) {
        return switch (kind) {
            case CREATED -> "created";
            case SUPERSEDED_PREVIOUS -> "superseded";
            case DUPLICATE_IGNORED -> "duplicate";
            case REPLAY -> "replay";
        };
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public CompletionStage<List<IngestOutcome>> ingest(IngestCommand command) {
        Source source = command.source();
        batches.get(source).record(command.events().size());
        CompletionStage<List<IngestOutcome>> result;
        try {
            result = delegate.ingest(command);
        } catch (InvalidInputException e) {
            rejected.get(source).increment(Math.max(1, command.events().size()));
            throw e;
        }
        Map<IngestOutcome.Kind, Counter> counters = outcomes.get(source);
        return result.whenComplete((committed, failure) -> {
            if (failure == null) {
                for (IngestOutcome outcome : committed) {
                    counters.get(outcome.kind()).increment();
                }
                if (outage.compareAndSet(true, false)) {
                    LOG.warnf("the event store takes writes again (%d ingest calls were refused meanwhile)",
                            refusedInOutage.getAndSet(0));
                }
            } else if (unwrap(failure) instanceof StoreUnavailableException e) {
                (e.outcomeUnknown() ? outcomeUnknown : unavailable).get(source).increment();
                refusedInOutage.incrementAndGet();
                if (outage.compareAndSet(false, true)) {
                    LOG.warnf("the event store cannot take writes: %s; ingest calls are answered 503 / UNAVAILABLE "
                            + "until it can (counted in usage_ingest_refused_total)", e.getMessage());
                }
            }
        });
    }
}
