package dev.usageevents.app;

import dev.usageevents.persistence.EmbeddedDatabase;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Starts the service. With no datasource URL configured ({@code QUARKUS_DATASOURCE_JDBC_URL}), it first starts
 * an embedded PostgreSQL whose data lives in {@code USAGE_DATA_DIR} (default {@code ./data}) and points the
 * datasource at it. The server stops after the application has stopped (and so after its last commits), and
 * its data stays for the next start.
 */
@QuarkusMain
public class UsageEventsMain {

    static final String EMBEDDED_DATA_PROPERTY = "usage-events.embedded-data-directory";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    public static void main(String... args) {
        if (!externalDatabaseConfigured()) {
            Path data = Path.of(setting("USAGE_DATA_DIR", "usage.data-dir", "./data")).resolve("postgres");
            EmbeddedDatabase database;
            try {
                database = EmbeddedDatabase.start(data);
            } catch (RuntimeException e) {
                System.err.println(StartupFailure.describe(e, httpPort(), ""));
                System.exit(1);
                return;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                ApplicationStopped.await(STOP_TIMEOUT);
                database.close();
            }, "embedded-postgres-stop"));
            System.setProperty("quarkus.datasource.jdbc.url", database.jdbcUrl());
            System.setProperty("quarkus.datasource.username", database.username());
            System.setProperty(EMBEDDED_DATA_PROPERTY, database.dataDirectory().toString());
        }
        Quarkus.run(null, UsageEventsMain::exit, args);
    }

    /**
     * How the process ends once Quarkus is done. A failed start (Quarkus has logged it) also prints one line
     * naming the cause, and lets the embedded database stop at once: nothing can be in flight, and its stop
     * must not wait for an application stop that a failed start never signals.
     */
    private static void exit(int code, Throwable failure) {
        if (failure != null) {
            System.err.println(StartupFailure.describe(failure, httpPort(),
                    setting("QUARKUS_DATASOURCE_JDBC_URL", "quarkus.datasource.jdbc.url", "")));
            ApplicationStopped.release();
        }
        ApplicationLifecycleManager.getDefaultExitCodeHandler().accept(code, failure);
    }

    private static String httpPort() {
        return setting("QUARKUS_HTTP_PORT", "quarkus.http.port", "8080");
    }

    private static boolean externalDatabaseConfigured() {
        String url = setting("QUARKUS_DATASOURCE_JDBC_URL", "quarkus.datasource.jdbc.url", "");
        return !url.isBlank();
    }

    private static String setting(String environmentVariable, String systemProperty, String fallback) {
        String value = System.getProperty(systemProperty);
        if (value == null) {
            value = System.getenv(environmentVariable);
        }
        return value == null ? fallback : value;
    }
}
