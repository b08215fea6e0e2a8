package dev.usageevents.app;

import dev.usageevents.persistence.EmbeddedDatabase;
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
            EmbeddedDatabase database = EmbeddedDatabase.start(data);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                ApplicationStopped.await(STOP_TIMEOUT);
                database.close();
            }, "embedded-postgres-stop"));
            System.setProperty("quarkus.datasource.jdbc.url", database.jdbcUrl());
            System.setProperty("quarkus.datasource.username", database.username());
            System.setProperty(EMBEDDED_DATA_PROPERTY, database.dataDirectory().toString());
        }
        Quarkus.run(args);
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
