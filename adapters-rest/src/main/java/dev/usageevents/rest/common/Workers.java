package dev.usageevents.rest.common;

import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * For the ingest endpoints, which run on the event loop: work that may block (a credentials look-up the cache
 * cannot answer) or take long (parsing a large body) is done on a worker thread of Quarkus' pool instead, so that
 * health checks and small requests on the same event loop are answered meanwhile.
 */
public final class Workers {

    /** Bodies of at least this many bytes are parsed on a worker thread: megabytes take the loop for milliseconds. */
    public static final int LARGE_BODY = 64 * 1024;

    private Workers() {
    }

    /** Runs {@code work} on a worker thread; the stage holds its result, or what it threw. */
    public static <T> CompletionStage<T> call(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, Infrastructure.getDefaultWorkerPool());
    }
}
