package dev.usageevents.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.app.testing.TestAccount;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus metrics an operator relies on, at {@code /q/metrics}, move as the service works: each outcome of
 * ingestion by channel, batch sizes, group commits, commit latency, ingest-to-commit delay and the connection pool.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class MetricsTest {

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final String SEQUENCE_EVENT = "{\"customerAlias\":\"metered\",\"eventType\":\"message-sent\","
            + "\"customerEventId\":\"%s\",\"eventTimestamp\":\"2024-01-01T00:00:00Z\",\"eventProperties\":%s}";
    private static final String MANTLE_EVENT = "{\"customerId\":\"metered\",\"eventName\":\"%s\",\"eventId\":\"%s\","
            + "\"timestamp\":1709315224000}";

    /** One scrape: each sample by name and labels. */
    private record Scrape(Map<String, Map<Map<String, String>, Double>> samples) {

        static Scrape now() {
            String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
            Map<String, Map<Map<String, String>, Double>> samples = new HashMap<>();
            for (String line : text.split("\n")) {
                Matcher sample = SAMPLE.matcher(line);
                if (line.startsWith("#") || !sample.matches()) {
                    continue;
                }
                Map<String, String> labels = new HashMap<>();
                if (sample.group(3) != null) {
                    Matcher label = LABEL.matcher(sample.group(3));
                    while (label.find()) {
                        labels.put(label.group(1), label.group(2));
                    }
                }
                samples.computeIfAbsent(sample.group(1), name -> new HashMap<>())
                        .put(labels, Double.valueOf(sample.group(4)));
            }
            return new Scrape(samples);
        }

        double value(String name, String... labels) {
            Double value = find(name, labels);
            assertThat(value).as("metric %s%s in /q/metrics", name, String.join(",", labels)).isNotNull();
            return value;
        }

        /** How much a metric grew since {@code before}; the meters of the group commit appear at its first write. */
        double increase(Scrape before, String name, String... labels) {
            Double previous = before.find(name, labels);
            return value(name, labels) - (previous == null ? 0 : previous);
        }

        private Double find(String name, String... labelPairs) {
            Map<String, String> labels = new HashMap<>();
            for (int i = 0; i < labelPairs.length; i += 2) {
                labels.put(labelPairs[i], labelPairs[i + 1]);
            }
            return samples.getOrDefault(name, Map.of()).get(labels);
        }

        double events(Scrape before, String source, String outcome) {
            return increase(before, "usage_events_total", "source", source, "outcome", outcome);
        }
    }

    @Test
    void countsEveryOutcomeOfIngestionByChannel() {
        TestAccount account = TestAccount.create("metered");
        String basic = account.sequenceAuthorization();
        String appId = account.mantleAppId();
        String apiKey = account.mantleApiKey();
        Scrape before = Scrape.now();

        sequence(basic, String.format(SEQUENCE_EVENT, "m-1", "{\"n\":1}"), 201);
        sequence(basic, String.format(SEQUENCE_EVENT, "m-1", "{\"n\":2}"), 201);
        sequence(basic, String.format(SEQUENCE_EVENT, "m-1", "{\"n\":2}"), 201);
        sequence(basic, "{\"customerAlias\":\"metered\",\"eventType\":\"message-sent\","
                + "\"eventTimestamp\":\"2999-01-01T00:00:00Z\"}", 400);
        mantle(appId, apiKey, "{\"events\":[" + String.format(MANTLE_EVENT, "api-call", "m-2") + ","
                + String.format(MANTLE_EVENT, "api-call", "m-3") + "]}", 200);
        mantle(appId, apiKey, String.format(MANTLE_EVENT, "another-name", "m-2"), 200);
        mantle(appId, apiKey, String.format(MANTLE_EVENT, "api-call", "m-3"), 200);
        mantle(appId, apiKey, "{\"customerId\":\"metered\",\"eventName\":\"api-call\","
                + "\"timestamp\":\"2999-01-01T00:00:00Z\"}", 422);
        Scrape after = Scrape.now();

        assertThat(after.events(before, "sequence", "created")).isEqualTo(1);
        assertThat(after.events(before, "sequence", "superseded")).isEqualTo(1);
        assertThat(after.events(before, "sequence", "replay")).isEqualTo(1);
        assertThat(after.events(before, "sequence", "duplicate")).isZero();
        assertThat(after.events(before, "sequence", "rejected")).isEqualTo(1);
        assertThat(after.events(before, "mantle", "created")).isEqualTo(2);
        assertThat(after.events(before, "mantle", "duplicate")).isEqualTo(1);
        assertThat(after.events(before, "mantle", "replay")).isEqualTo(1);
        assertThat(after.events(before, "mantle", "superseded")).isZero();
        assertThat(after.events(before, "mantle", "rejected")).isEqualTo(1);
        assertThat(after.events(before, "grpc", "created")).isZero();

        assertThat(after.increase(before, "usage_ingest_batch_events_count", "source", "sequence")).isEqualTo(4);
        assertThat(after.increase(before, "usage_ingest_batch_events_count", "source", "mantle")).isEqualTo(4);
        assertThat(after.increase(before, "usage_ingest_batch_events_sum", "source", "mantle")).isEqualTo(5);
        assertThat(after.value("usage_ingest_batch_events_max", "source", "mantle")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void measuresGroupCommitsAndTheirLatency() {
        TestAccount account = TestAccount.create("committed");
        Scrape before = Scrape.now();

        mantle(account.mantleAppId(), account.mantleApiKey(), "{\"events\":["
                + String.format(MANTLE_EVENT, "api-call", "g-1") + "," + String.format(MANTLE_EVENT, "api-call", "g-2")
                + "," + String.format(MANTLE_EVENT, "api-call", "g-3") + "]}", 200);
        Scrape after = Scrape.now();

        assertThat(after.increase(before, "usage_commit_groups_total")).isGreaterThanOrEqualTo(1);
        assertThat(after.increase(before, "usage_commit_group_events_count")).isGreaterThanOrEqualTo(1);
        assertThat(after.increase(before, "usage_commit_group_events_sum")).isGreaterThanOrEqualTo(3);
        assertThat(after.value("usage_commit_group_events_max")).isGreaterThanOrEqualTo(3);
        assertThat(after.increase(before, "usage_commit_group_requests_sum")).isGreaterThanOrEqualTo(1);
        assertThat(after.increase(before, "usage_commit_duration_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(after.increase(before, "usage_commit_duration_seconds_sum")).isPositive();
        assertThat(after.increase(before, "usage_commit_duration_seconds_bucket", "le", "+Inf"))
                .isGreaterThanOrEqualTo(1);
        assertThat(after.value("usage_commit_duration_seconds_bucket", "le", "0.01")).isNotNegative();
        assertThat(after.increase(before, "usage_ingest_commit_delay_seconds_bucket", "le", "+Inf"))
                .isGreaterThanOrEqualTo(1);
        assertThat(after.value("usage_ingest_commit_delay_seconds_bucket", "le", "0.05")).isNotNegative();
        assertThat(after.find("usage_commit_duration_seconds", "quantile", "0.99"))
                .as("histograms, not client-side quantiles").isNull();
        assertThat(after.increase(before, "usage_ingest_commit_delay_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(after.increase(before, "usage_ingest_commit_delay_seconds_sum")).isPositive();
        assertThat(after.value("usage_commit_queue")).isGreaterThanOrEqualTo(0);
    }

    @Test
    void requestLatencyIsAHistogramByRoute() {
        given().when().get("/api/usage-events").then().statusCode(401);
        String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(text).containsPattern(
                "http_server_requests_seconds_bucket\\{(?=[^}]*status=\"401\")(?=[^}]*uri=\"/api/usage-events\")"
                        + "(?=[^}]*le=\"0\\.05\")[^}]*}")
                .doesNotContain("http_server_requests_seconds{");
    }

    /** Every metric that the Grafana dashboard of docs/ queries is one the service exports. */
    @Test
    void theDashboardQueriesOnlyExportedMetrics() throws Exception {
        TestAccount account = TestAccount.create("dashboard");
        String basic = account.sequenceAuthorization();
        sequence(basic, String.format(SEQUENCE_EVENT, "dash-1", "{}"), 201);
        given().when().get("/q/health/live").then().statusCode(200);
        String dashboard = Files.readString(Path.of("..", "docs", "grafana-dashboard.json"));
        Scrape scrape = Scrape.now();
        Matcher metric = Pattern.compile("\\b((?:usage|http_server|agroal|jvm)_[a-z_]+)\\{").matcher(dashboard);
        int found = 0;
        while (metric.find()) {
            assertThat(scrape.samples()).as("exported metrics").containsKey(metric.group(1));
            found++;
        }
        assertThat(found).isGreaterThan(10);
    }

    @Test
    void reportsTheConnectionPool() {
        Scrape before = Scrape.now();

        TestAccount.create("pooled");
        Scrape after = Scrape.now();

        assertThat(after.increase(before, "agroal_acquire_count_total", "datasource", "default")).isPositive();
        assertThat(after.value("agroal_max_used_count", "datasource", "default")).isGreaterThanOrEqualTo(1);
        assertThat(after.value("agroal_active_count", "datasource", "default")).isGreaterThanOrEqualTo(0);
        assertThat(after.value("agroal_available_count", "datasource", "default")).isGreaterThanOrEqualTo(0);
        assertThat(after.value("agroal_awaiting_count", "datasource", "default")).isGreaterThanOrEqualTo(0);
    }

    private static void sequence(String authorization, String body, int status) {
        given().header("Authorization", authorization).contentType(ContentType.JSON).body(body)
                .when().post("/api/usage-events").then().statusCode(status);
    }

    private static void mantle(String appId, String apiKey, String body, int status) {
        given().header("X-Mantle-App-Id", appId).header("X-Mantle-App-Api-Key", apiKey).contentType(ContentType.JSON)
                .body(body).when().post("/v1/usage_events").then().statusCode(status);
    }
}
