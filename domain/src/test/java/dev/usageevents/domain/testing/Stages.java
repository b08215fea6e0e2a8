package dev.usageevents.domain.testing;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** Waits for a stage in a test: its value, or the exception it failed with (not wrapped). */
public final class Stages {

    private Stages() {
    }

    public static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
