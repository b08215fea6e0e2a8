package dev.usageevents.rest.mantle;

import static dev.usageevents.rest.mantle.MantleApp.EVENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad requests, one row each: the status, Mantle's error shape (naming the field when there is one), and not one
 * event more in the store. 400: not of the schema's shape; 401: credentials; 403: another customer; 413: too
 * large; 422: well-formed, but a value breaks a rule.
 */
@QuarkusTest
class MantleBadInputTest {

    private static final String OK = "{\"eventId\":\"ok\",\"eventName\":\"n\",\"customerId\":\"c\"}";

    /** How a row's request is sent: with which credentials. */
    enum Caller {
        SERVER(app -> app.server()),
        CUSTOMER_A(app -> app.customer(app.identify("a"))),
        NO_CREDENTIALS(app -> RestAssured.given().contentType(ContentType.JSON)),
        NO_APP_ID(app -> RestAssured.given().header(MantleApp.API_KEY, app.apiKey()).contentType(ContentType.JSON)),
        WRONG_API_KEY(app -> RestAssured.given().header(MantleApp.APP_ID, app.appId())
                .header(MantleApp.API_KEY, app.apiKey() + "x").contentType(ContentType.JSON)),
        UNKNOWN_APP(app -> RestAssured.given().header(MantleApp.APP_ID, "app_unknown")
                .header(MantleApp.API_KEY, app.apiKey()).contentType(ContentType.JSON)),
        FORGED_TOKEN(app -> app.customer("mct_" + "A".repeat(43))),
        API_KEY_AS_TOKEN(app -> app.customer(app.apiKey()));

        final Function<MantleApp, RequestSpecification> request;

        Caller(Function<MantleApp, RequestSpecification> request) {
            this.request = request;
        }
    }

    record Row(String name, Caller caller, String body, int status, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String event(String fields) {
        return "{\"eventId\":\"e\",\"eventName\":\"n\",\"customerId\":\"c\"" + (fields.isEmpty() ? "" : "," + fields)
                + "}";
    }

    private static String nested(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    static Stream<Row> rows() {
        long twoHoursAhead = Instant.now().plus(Duration.ofHours(2)).toEpochMilli();
        String thousandAndOne = IntStream.range(0, 1001).mapToObj(i -> "{\"eventName\":\"n\",\"customerId\":\"c\"}")
                .collect(Collectors.joining(",", "{\"events\":[", "]}"));
        return Stream.of(
                new Row("not JSON", Caller.SERVER, "eventName=n", 400, null),
                new Row("empty body", Caller.SERVER, "", 400, null),
                new Row("truncated JSON", Caller.SERVER, "{\"eventName\":\"n\"", 400, null),
                new Row("trailing tokens", Caller.SERVER, OK + " {}", 400, null),
                new Row("duplicate key", Caller.SERVER,
                        "{\"eventName\":\"n\",\"eventName\":\"m\",\"customerId\":\"c\"}", 400, null),
                new Row("top-level array", Caller.SERVER, "[" + OK + "]", 400, null),
                new Row("eventName a number", Caller.SERVER, "{\"eventName\":5,\"customerId\":\"c\"}", 400,
                        "eventName"),
                new Row("customerId an object", Caller.SERVER, "{\"eventName\":\"n\",\"customerId\":{}}", 400,
                        "customerId"),
                new Row("properties an array", Caller.SERVER, event("\"properties\":[1]"), 400, "properties"),
                new Row("timestamp a boolean", Caller.SERVER, event("\"timestamp\":true"), 400, "timestamp"),
                new Row("aliases that differ", Caller.SERVER, event("\"event_name\":\"other\""), 400, "eventName"),
                new Row("events an object", Caller.SERVER, "{\"events\":{}}", 400, "events"),
                new Row("events[1] a string", Caller.SERVER, "{\"events\":[" + OK + ",\"x\"]}", 400, "events[1]"),
                new Row("events with top-level fields", Caller.SERVER, "{\"eventName\":\"n\",\"events\":[" + OK + "]}",
                        400, "events"),
                new Row("eventName missing", Caller.SERVER, "{\"customerId\":\"c\"}", 422, "eventName"),
                new Row("customerId missing with the API key", Caller.SERVER, "{\"eventName\":\"n\"}", 422,
                        "customerId"),
                new Row("eventName empty", Caller.SERVER, "{\"eventName\":\"\",\"customerId\":\"c\"}", 422,
                        "eventName"),
                new Row("eventId of 256 characters", Caller.SERVER,
                        "{\"eventId\":\"" + "x".repeat(256) + "\",\"eventName\":\"n\",\"customerId\":\"c\"}", 422,
                        "eventId"),
                new Row("control character in eventName", Caller.SERVER,
                        "{\"eventName\":\"a\\u0007b\",\"customerId\":\"c\"}", 422, "eventName"),
                new Row("no events", Caller.SERVER, "{\"events\":[]}", 422, "events"),
                new Row("1001 events", Caller.SERVER, thousandAndOne, 422, "events"),
                new Row("timestamp not a date", Caller.SERVER, event("\"timestamp\":\"yesterday\""), 422, "timestamp"),
                new Row("timestamp without a zone", Caller.SERVER, event("\"timestamp\":\"2024-03-01T17:47:04\""), 422,
                        "timestamp"),
                new Row("timestamp before 2000", Caller.SERVER, event("\"timestamp\":946684799999"), 422, "timestamp"),
                new Row("timestamp two hours ahead", Caller.SERVER, event("\"timestamp\":" + twoHoursAhead), 422,
                        "timestamp"),
                new Row("timestamp with a fraction of a millisecond", Caller.SERVER,
                        event("\"timestamp\":1709315224000.5"), 422, "timestamp"),
                new Row("U+0000 in properties", Caller.SERVER, event("\"properties\":{\"k\":\"a\\u0000b\"}"), 422,
                        "properties.k"),
                new Row("properties 17 levels deep", Caller.SERVER, event("\"properties\":" + nested(17)), 422, null),
                new Row("properties over 32 KiB", Caller.SERVER,
                        event("\"properties\":{\"k\":\"" + "x".repeat(33 * 1024) + "\"}"), 422, "properties"),
                new Row("bad event at index 3 of a batch", Caller.SERVER,
                        "{\"events\":[" + OK + "," + OK + "," + OK + ",{\"eventName\":\"n\"}]}", 422,
                        "events[3].customerId"),
                new Row("token naming another customer", Caller.CUSTOMER_A, event(""), 403, "customerId"),
                new Row("no credentials", Caller.NO_CREDENTIALS, OK, 401, null),
                new Row("no app id", Caller.NO_APP_ID, OK, 401, null),
                new Row("wrong API key", Caller.WRONG_API_KEY, OK, 401, null),
                new Row("unknown app id", Caller.UNKNOWN_APP, OK, 401, null),
                new Row("forged customer token", Caller.FORGED_TOKEN, OK, 401, null),
                new Row("API key sent as a customer token", Caller.API_KEY_AS_TOKEN, OK, 401, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void refusesAndStoresNothing(Row row) {
        MantleApp app = MantleApp.create("Bad input");
        app.server().body(OK).when().post(EVENTS).then().statusCode(200);

        ValidatableResponse response = row.caller().request.apply(app).body(row.body()).when().post(EVENTS)
                .then().statusCode(row.status()).contentType(ContentType.JSON)
                .body("error", instanceOf(String.class)).body("error", not(emptyString()))
                .body("details", instanceOf(List.class));
        if (row.field() != null) {
            response.body("details[0].field", equalTo(row.field()));
        }
        assertThat(app.eventCount()).isEqualTo(1);
    }

    @Test
    void deepPropertiesNameTheDepthLimit() {
        MantleApp app = MantleApp.create("Deep");
        app.server().body(event("\"properties\":" + nested(17))).when().post(EVENTS)
                .then().statusCode(422).body("error", equalTo("properties" + ".a".repeat(16)
                        + " nests deeper than 16 levels"));
        app.server().body(event("\"properties\":" + nested(16))).when().post(EVENTS).then().statusCode(200);
    }

    @Test
    void refusesBadIdentifies() {
        MantleApp app = MantleApp.create("Bad identify");
        String token = app.identify("a");
        record Case(RequestSpecification request, String body, int status, String field) {
        }
        List<Case> cases = List.of(
                new Case(app.server(), "not json", 400, null),
                new Case(app.server(), "[]", 400, null),
                new Case(app.server(), "{\"platform\":\"stripe\",\"platformId\":7}", 400, "platformId"),
                new Case(app.server(), "{\"platform\":\"stripe\",\"platformId\":\"p\",\"rotateApiToken\":\"yes\"}", 400,
                        "rotateApiToken"),
                new Case(app.server(), "{\"platform\":\"stripe\",\"platformId\":\"p\",\"customFields\":[]}", 400,
                        "customFields"),
                new Case(app.server(), "{\"platformId\":\"p\"}", 422, "platform"),
                new Case(app.server(), "{\"platform\":\"shopify\",\"platformId\":\"p\"}", 422, "myshopifyDomain"),
                new Case(app.server(), "{\"platform\":\"stripe\"}", 422, "platformId"),
                new Case(app.server(), "{\"platform\":\"stripe\",\"platformId\":\"p\",\"createdAt\":\"soon\"}", 422,
                        "createdAt"),
                new Case(app.customer(token), "{\"platform\":\"stripe\",\"platformId\":\"a\"}", 403, null),
                new Case(RestAssured.given().header(MantleApp.APP_ID, app.appId()), "{\"platform\":\"stripe\"}", 401,
                        null));
        for (Case c : cases) {
            ValidatableResponse response = c.request().body(c.body()).when().post("/v1/identify").then()
                    .statusCode(c.status()).body("error", instanceOf(String.class))
                    .body("details", instanceOf(List.class));
            if (c.field() != null) {
                response.body("details[0].field", equalTo(c.field()));
            }
        }
        assertThat(app.identify("a")).isEqualTo(token);
    }

    @Test
    void refusesBadListQueries() {
        MantleApp app = MantleApp.create("Bad list");
        for (String query : List.of("take=0", "take=101", "take=ten", "startDate=soon", "endDate=2024-13-01",
                "startDate=2024-03-02&endDate=2024-03-01", "cursor=not-a-cursor", "customerId=" + "x".repeat(256))) {
            app.server().when().get(EVENTS + "?" + query).then().statusCode(400)
                    .body("error", instanceOf(String.class)).body("details[0].field", not(emptyString()));
        }
        RestAssured.given().header(MantleApp.APP_ID, app.appId()).when().get(EVENTS).then().statusCode(401)
                .body("error", equalTo("Send X-Mantle-App-Api-Key or X-Mantle-Customer-Api-Token"));
    }

    @Test
    void aBodyOverFiveMebibytesIsRefusedBeforeItIsRead() throws IOException {
        MantleApp app = MantleApp.create("Too large");
        long declared = 5L * 1024 * 1024 + 1;
        String head = "POST " + EVENTS + " HTTP/1.1\r\nHost: localhost\r\n"
                + MantleApp.APP_ID + ": " + app.appId() + "\r\n" + MantleApp.API_KEY + ": " + app.apiKey() + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + declared + "\r\n\r\n{\"events\":[";
        String answer;
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            answer = readAll(socket.getInputStream());
        }

        assertThat(answer).startsWith("HTTP/1.1 413");
        assertThat(answer).containsIgnoringCase("content-type: application/json");
        assertThat(answer).contains("{\"error\":\"The request body is larger than 5242880 bytes; send fewer events "
                + "per request\",\"details\":[]}");
        assertThat(app.eventCount()).isZero();
    }

    @Test
    void aBodyOfFiveMebibytesIsRead() {
        MantleApp app = MantleApp.create("Just fits");
        String event = "{\"eventName\":\"n\",\"customerId\":\"c\",\"properties\":{\"k\":\"" + "x".repeat(4000) + "\"}}";
        String body = Stream.generate(() -> event).limit(1000).collect(Collectors.joining(",", "{\"events\":[", "]}"));
        assertThat(body.length()).isLessThan(5 * 1024 * 1024);
        app.server().body(body).when().post(EVENTS).then().statusCode(200);
        assertThat(app.eventCount()).isEqualTo(1000);
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            bytes.write(buffer, 0, n);
            if (bytes.toString(StandardCharsets.UTF_8).contains("\"details\":[]}")) {
                break;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
