package dev.usageevents.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.model.IngestOutcome;
import dev.usageevents.domain.port.in.IngestCommand;
import dev.usageevents.domain.port.in.IngestUsageEvents;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An ingest port whose commits the test completes, in any order: each call is validated and stored by the real
 * port at once, but its answer waits in {@link #next()} until the test commits or fails it.
 */
final class GatedIngest implements IngestUsageEvents {

    /** One ingest call waiting for the test to let its commit complete. */
    record Pending(IngestCommand command, CompletionStage<List<IngestOutcome>> stored,
            CompletableFuture<List<IngestOutcome>> answer) {

        void commit() {
            stored.whenComplete((outcomes, failure) -> {
                if (failure != null) {
                    answer.completeExceptionally(failure);
                } else {
                    answer.complete(outcomes);
                }
            });
        }

        void fail(Throwable failure) {
            answer.completeExceptionally(failure);
        }
    }

    private final IngestUsageEvents delegate;
    private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();

    GatedIngest(IngestUsageEvents delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletionStage<List<IngestOutcome>> ingest(IngestCommand command) {
        Pending call = new Pending(command, delegate.ingest(command), new CompletableFuture<>());
        pending.add(call);
        return call.answer;
    }

    /** The next ingest call, in the order they were made; fails the test when none comes within 10 s. */
    Pending next() throws InterruptedException {
        Pending call = pending.poll(10, TimeUnit.SECONDS);
        assertThat(call).as("an ingest call").isNotNull();
        return call;
    }

    /** How many calls wait (made and not yet taken with {@link #next()}). */
    int waiting() {
        return pending.size();
    }
}
