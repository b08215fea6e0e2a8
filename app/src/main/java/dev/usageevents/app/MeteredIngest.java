package dev.usageevents.app;

import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.port.in.IngestCommand;
import dev.usageevents.domain.port.in.IngestUsageEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Counts what ingestion does, by channel: {@code usage_events_total{source, outcome}} with the outcomes
 * created, superseded, duplicate, replay and rejected, and {@code usage_ingest_batch_events{source}}.
 */
final class MeteredIngest implements IngestUsageEvents {

    private final IngestUsageEvents delegate;
    private final Map<Source, Map<IngestOutcome.Kind, Counter>> outcomes = new EnumMap<>(Source.class);
    private final Map<Source, Counter> rejected = new EnumMap<>(Source.class);
    private final Map<Source, DistributionSummary> batches = new EnumMap<>(Source.class);

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
            batches.put(source, DistributionSummary.builder("usage.ingest.batch.events")
                    .description("Events per ingest call").tag("source", channel).register(registry));
        }
    }

    private static Counter events(MeterRegistry registry, String source, String outcome) {
        return Counter.builder("usage.events").description("Events received, by channel and outcome")
                .tag("source", source).tag("outcome", outcome).register(registry);
    }

    private static String outcomeName(IngestOutcome.Kind kind) {
        return switch (kind) {
            case CREATED -> "created";
            case SUPERSEDED_PREVIOUS -> "superseded";
            case DUPLICATE_IGNORED -> "duplicate";
            case REPLAY -> "replay";
        };
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
        return result.thenApply(committed -> {
            for (IngestOutcome outcome : committed) {
                counters.get(outcome.kind()).increment();
            }
            return committed;
        });
    }
}
