package dev.usageevents.app.sequence;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The Sequence usage-metrics API as a client sees it: shapes, statuses, Sequence's error shape and field names,
 * parameter parsing. Counted values are {@link SequenceUsageMetricsEndToEndTest}'s.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class SequenceUsageMetricsTest {

    static final String METRICS = "/api/usage-metrics";

    static String metric(String name, String aggregationType, String aggregationProperty) {
        return "{\"name\":\"" + name + "\",\"metricType\":\"SIMPLE\",\"eventType\":\"message-sent\","
                + "\"aggregationType\":\"" + aggregationType + "\""
                + (aggregationProperty == null ? "" : ",\"aggregationProperty\":\"" + aggregationProperty + "\"")
                + ",\"unit\":\"characters\",\"propertyFilters\":{\"type\":[\"text\",\"email\"]},"
                + "\"propertiesToNegate\":[],\"description\":\"d\"}";
    }

    static ExtractableResponse<Response> post(SequenceTestClient client, String body) {
        return client.request().contentType(ContentType.JSON).body(body).when().post(METRICS).then().extract();
    }

    static String create(SequenceTestClient client, String body) {
        return post(client, body).response().then().statusCode(201).extract().path("id");
    }

    @Test
    void createsAMetricInSequencesShape() {
        SequenceTestClient client = SequenceTestClient.newAccount();

        ExtractableResponse<Response> created = post(client, metric("chars", "SUM", "length"));

        assertThat(created.statusCode()).isEqualTo(201);
        String id = created.path("id");
        assertThat(created.header("Location")).endsWith(METRICS + "/" + id);
        assertThat(created.header("Sequence-Version")).isEqualTo("2024-07-30");
        created.response().then()
                .body("sequenceAccountId", equalTo(client.accountId))
                .body("name", equalTo("chars"))
                .body("description", equalTo("d"))
                .body("metricType", equalTo("SIMPLE"))
                .body("eventType", equalTo("message-sent"))
                .body("aggregationType", equalTo("SUM"))
                .body("aggregationProperty", equalTo("length"))
                .body("groupingProperty", nullValue())
                .body("unit", equalTo("characters"))
                .body("propertyFilters.type", equalTo(List.of("text", "email")))
                .body("propertiesToNegate", equalTo(List.of()))
                .body("caseSensitive", equalTo(true))
                .body("parameters", equalTo(List.of()))
                .body("createdAt", startsWith("20"))
                .body("deletedAt", nullValue());
        client.request().when().get(METRICS + "/" + id).then().statusCode(200).body("name", equalTo("chars"));
    }

    @Test
    void uniqueIsTheDomainsUniqueCountAndCustomIsRefused() {
        SequenceTestClient client = SequenceTestClient.newAccount();

        post(client, metric("users", "UNIQUE", "user")).response().then().statusCode(201)
                .body("aggregationType", equalTo("UNIQUE"));
        for (String aggregation : List.of("MIN", "MAX", "AVG", "LATEST")) {
            post(client, metric("m-" + aggregation, aggregation, "length")).response().then().statusCode(201)
                    .body("aggregationType", equalTo(aggregation));
        }
        post(client, metric("custom", "CUSTOM", null)).response().then().statusCode(400)
                .body("error.type", equalTo("ValidationError"))
                .body("error.errors[0].field", equalTo("aggregationType"))
                .body("error.message", org.hamcrest.Matchers.containsString("not supported"));
    }

    @Test
    void refusesBadDefinitionsNamingSequencesFields() {
        SequenceTestClient client = SequenceTestClient.newAccount();

        post(client, metric("a", "COUNT", "length")).response().then().statusCode(400)
                .body("error.errors.field", hasItem("aggregationProperty"));
        post(client, metric("b", "SUM", null)).response().then().statusCode(400)
                .body("error.errors.field", hasItem("aggregationProperty"));
        post(client, metric("c", "MEDIAN", "length")).response().then().statusCode(400)
                .body("error.errors.field", hasItem("aggregationType"));
        post(client, "{\"name\":\"d\",\"metricType\":\"SIMPLE\",\"aggregationType\":\"COUNT\"}").response().then()
                .statusCode(400).body("error.errors.field", hasItem("eventType"));
        post(client, "{\"name\":\"e\",\"eventType\":\"t\",\"aggregationType\":\"COUNT\",\"propertyFilters\":[1]}")
                .response().then().statusCode(400).body("error.errors[0].field", equalTo("propertyFilters"));
        post(client, "{\"name\":\"f\",\"eventType\":\"t\",\"aggregationType\":\"COUNT\",\"caseSensitive\":\"no\"}")
                .response().then().statusCode(400).body("error.errors[0].field", equalTo("caseSensitive"));
        post(client, "[]").response().then().statusCode(400).body("error.errors[0].field", equalTo("body"));
        post(client, "{").response().then().statusCode(400).body("error.type", equalTo("MalformedJson"));
        client.request().when().get(METRICS).then().statusCode(200).body("pagination.totalResultSize", equalTo(0));
    }

    @Test
    void aTakenNameIsAConflictInSequencesShape() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        String first = create(client, metric("taken", "COUNT", null));

        post(client, metric("taken", "COUNT", null)).response().then().statusCode(409)
                .body("error.type", equalTo("Conflict"))
                .body("error.message", org.hamcrest.Matchers.containsString("taken"));

        client.request().when().delete(METRICS + "/" + first).then().statusCode(200);
        post(client, metric("taken", "COUNT", null)).response().then().statusCode(201);
    }

    @Test
    void replacesAndDeletes() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        String id = create(client, metric("before", "COUNT", null));

        client.request().contentType(ContentType.JSON).body(metric("after", "MAX", "length"))
                .when().put(METRICS + "/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("name", equalTo("after")).body("aggregationType", equalTo("MAX"));
        client.request().contentType(ContentType.JSON).body(metric("after", "COUNT", "length"))
                .when().put(METRICS + "/" + id).then().statusCode(400)
                .body("error.errors.field", hasItem("aggregationProperty"));

        client.request().when().delete(METRICS + "/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("deletedAt", startsWith("20"));
        client.request().when().get(METRICS + "/" + id).then().statusCode(404)
                .body("error.type", equalTo("NotFound"));
        client.request().when().delete(METRICS + "/" + id).then().statusCode(404);
        client.request().when().get(METRICS + "/" + id + "/calculate?periodStart=2024-01-01&periodEnd=2024-01-31")
                .then().statusCode(404);
    }

    @Test
    void anotherAccountsMetricIsAbsent() {
        SequenceTestClient owner = SequenceTestClient.newAccount();
        SequenceTestClient other = SequenceTestClient.newAccount();
        String id = create(owner, metric("mine", "COUNT", null));

        other.request().when().get(METRICS + "/" + id).then().statusCode(404);
        other.request().contentType(ContentType.JSON).body(metric("mine", "COUNT", null))
                .when().put(METRICS + "/" + id).then().statusCode(404);
        other.request().when().delete(METRICS + "/" + id).then().statusCode(404);
        other.request().when().get(METRICS + "/" + id + "/calculate?periodStart=2024-01-01&periodEnd=2024-01-31")
                .then().statusCode(404);
        other.request().when().get(METRICS + "/" + id + "/usage?from=2024-01-01&to=2024-02-01")
                .then().statusCode(404);
        other.request().when().get(METRICS).then().statusCode(200).body("items", equalTo(List.of()));
        owner.request().when().get(METRICS + "/" + id).then().statusCode(200);
        owner.request().when().get(METRICS + "/not-a-uuid").then().statusCode(404);
    }

    @Test
    void listsWithFiltersAndRefusesABadLimit() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        create(client, metric("one", "COUNT", null));
        create(client, metric("two", "UNIQUE", "user"));

        client.request().when().get(METRICS).then().statusCode(200)
                .body("items.name", equalTo(List.of("one", "two")))
                .body("pagination.totalResultSize", equalTo(2));
        client.request().queryParam("aggregationType", "UNIQUE").when().get(METRICS).then().statusCode(200)
                .body("items.name", equalTo(List.of("two")));
        client.request().queryParam("name", "one").when().get(METRICS).then().statusCode(200)
                .body("items.name", equalTo(List.of("one")));
        client.request().queryParam("limit", 1).when().get(METRICS).then().statusCode(200)
                .body("items.name", equalTo(List.of("one"))).body("pagination.totalResultSize", equalTo(2));
        for (String limit : List.of("0", "101", "x")) {
            client.request().queryParam("limit", limit).when().get(METRICS).then().statusCode(400)
                    .body("error.errors[0].field", equalTo("limit"));
        }
    }

    @Test
    void calculateAnswersInSequencesShape() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        String id = create(client, metric("n", "COUNT", null));

        client.request().when().get(METRICS + "/" + id
                + "/calculate?customerAliases=a,b&periodStart=2024-01-01&periodEnd=2024-01-31").then()
                .statusCode(200)
                .body("name", equalTo("n"))
                .body("metricType", equalTo("SIMPLE"))
                .body("eventType", equalTo("message-sent"))
                .body("aggregationType", equalTo("COUNT"))
                .body("eventCount", equalTo(0))
                .body("value", equalTo(0))
                .body("unit", equalTo("characters"))
                .body("minEventId", nullValue())
                .body("maxEventId", nullValue())
                .body("ignoredEventCount", equalTo(0));
    }

    @Test
    void calculateRefusesBadPeriodsNamingItsParameters() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        String calculate = METRICS + "/" + create(client, metric("n", "COUNT", null)) + "/calculate";

        client.request().queryParam("periodStart", "2024-01-31").queryParam("periodEnd", "2024-01-01")
                .when().get(calculate).then().statusCode(400).body("error.errors[0].field", equalTo("periodEnd"));
        client.request().queryParam("periodStart", "2024-01-01").queryParam("periodEnd", "2024-01-01")
                .when().get(calculate).then().statusCode(200);
        client.request().queryParam("periodStart", "yesterday").queryParam("periodEnd", "2024-01-01")
                .when().get(calculate).then().statusCode(400).body("error.errors[0].field", equalTo("periodStart"));
        client.request().queryParam("periodEnd", "2024-01-01")
                .when().get(calculate).then().statusCode(400).body("error.errors[0].field", equalTo("periodStart"));
        client.request().queryParam("periodStart", "2024-01-01").queryParam("periodEnd", "2024-01-31")
                .queryParam("timeZone", "Mars/Olympus").when().get(calculate).then().statusCode(400)
                .body("error.errors[0].field", equalTo("timeZone"));
        client.request().queryParam("periodStart", "2024-01-01").queryParam("periodEnd", "2024-01-31")
                .queryParam("asOf", "soon").when().get(calculate).then().statusCode(400)
                .body("error.errors[0].field", equalTo("asOf"));
        String aliases = IntStream.range(0, 101).mapToObj(i -> "c" + i).collect(Collectors.joining(","));
        client.request().queryParam("periodStart", "2024-01-01").queryParam("periodEnd", "2024-01-31")
                .queryParam("customerAliases", aliases).when().get(calculate).then().statusCode(400)
                .body("error.errors[0].field", startsWith("customerAliases"));
    }

    @Test
    void usageAnswersJsonOrCsv() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        String id = create(client, metric("n", "SUM", "length"));
        String usage = METRICS + "/" + id + "/usage";

        client.request().queryParam("from", "2024-01-01T00:00:00Z").queryParam("to", "2024-01-02T00:00:00Z")
                .queryParam("windowSize", "DAY").queryParam("customerAliases", "a")
                .queryParam("groupBy", "customerAlias")
                .when().get(usage).then().statusCode(200).contentType(ContentType.JSON)
                .body("metricId", equalTo(id))
                .body("windowSize", equalTo("DAY"))
                .body("timeZone", equalTo("UTC"))
                .body("from", equalTo("2024-01-01T00:00:00Z"))
                .body("to", equalTo("2024-01-02T00:00:00Z"))
                .body("data[0].windowStart", equalTo("2024-01-01T00:00:00Z"))
                .body("data[0].windowEnd", equalTo("2024-01-02T00:00:00Z"))
                .body("data[0].customerAlias", equalTo("a"))
                .body("data[0].value", equalTo(0))
                .body("data[0].eventCount", equalTo(0));

        String csv = client.request().accept("text/csv").queryParam("from", "2024-01-01T00:00:00Z")
                .queryParam("to", "2024-01-02T00:00:00Z").queryParam("windowSize", "DAY")
                .queryParam("customerAliases", "a").queryParam("groupBy", "customerAlias")
                .when().get(usage).then().statusCode(200).contentType(startsWith("text/csv")).extract().asString();
        assertThat(csv).isEqualTo("windowStart,windowEnd,customerAlias,value,eventCount\r\n"
                + "2024-01-01T00:00:00Z,2024-01-02T00:00:00Z,a,0,0\r\n");
    }

    @Test
    void usageRefusesBadQueries() {
        SequenceTestClient client = SequenceTestClient.newAccount();
        String usage = METRICS + "/" + create(client, metric("n", "COUNT", null)) + "/usage";

        client.request().queryParam("from", "2024-01-02").queryParam("to", "2024-01-01").when().get(usage)
                .then().statusCode(400).body("error.type", equalTo("ValidationError"));
        client.request().queryParam("from", "2024-01-01").queryParam("to", "2024-01-02")
                .queryParam("windowSize", "FORTNIGHT").when().get(usage)
                .then().statusCode(400).body("error.errors[0].field", equalTo("windowSize"));
        client.request().queryParam("from", "2024-01-01").queryParam("to", "2024-01-02")
                .queryParam("timeZone", "Europe/Nowhere").when().get(usage)
                .then().statusCode(400).body("error.errors[0].field", equalTo("timeZone"));
        client.request().queryParam("to", "2024-01-02").when().get(usage)
                .then().statusCode(400).body("error.errors[0].field", equalTo("from"));
    }

    @Test
    void refusesCallsWithoutCredentials() {
        given().when().get(METRICS).then().statusCode(401).body("error.type", equalTo("Unauthorized"));
        given().contentType(ContentType.JSON).body(metric("x", "COUNT", null)).when().post(METRICS).then()
                .statusCode(401);
        given().when().get(METRICS + "/" + UUID.randomUUID() + "/calculate").then().statusCode(401);
        given().header("Authorization", SequenceTestClient.basic("nobody", "nothing")).when().get(METRICS)
                .then().statusCode(401);
    }
}
