package dev.usageevents.app;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tells the embedded database when it may stop: after every other shutdown observer (which drain in-flight
 * work) has run.
 */
@Singleton
class ApplicationStopped {

    private static final CountDownLatch STOPPED = new CountDownLatch(1);

    void onShutdown(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        STOPPED.countDown();
    }

    /** Lets {@link #await} return at once: a start that failed has nothing in flight and fires no stop. */
    static void release() {
        STOPPED.countDown();
    }

    /** Waits for the application to stop, at most {@code timeout}; false if it did not. */
    static boolean await(Duration timeout) {
        try {
            return STOPPED.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
