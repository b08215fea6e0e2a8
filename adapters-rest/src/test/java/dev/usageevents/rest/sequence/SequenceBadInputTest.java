package dev.usageevents.rest.sequence;

import static dev.usageevents.rest.sequence.SequenceTestClient.EVENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad input gets a 4xx in Sequence's shape naming the field, and nothing is stored. */
@QuarkusTest
class SequenceBadInputTest {

    private static final int MAX_BODY = 5 * 1024 * 1024;

    /** One account with two events, shared by the tests of this class: none of them may store anything. */
    private static SequenceTestClient client;
    private static String cursor;

    @TestHTTPResource("/")
    URI server;

    @BeforeEach
    void oneAccountWithTwoEvents() {
        if (client == null) {
            client = SequenceTestClient.newAccount();
            client.create("c", "t", "2024-01-01T00:00:00Z", "kept-1");
            client.create("c", "t", "2024-01-01T00:00:01Z", "kept-2");
            cursor = client.request().queryParam("limit", 1).when().get(EVENTS)
                    .then().statusCode(200).extract().path("pagination.after");
        }
    }

    /** A valid event with {@code field} set to the raw JSON {@code value}. */
    private static String with(String field, String value) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("customerAlias", "\"c\"");
        fields.put("eventType", "\"t\"");
        fields.put("eventTimestamp", "\"2024-02-01T00:00:00Z\"");
        fields.put("eventProperties", "{\"n\":1}");
        fields.put(field, value);
        StringJoiner json = new StringJoiner(",", "{", "}");
        fields.forEach((name, raw) -> json.add("\"" + name + "\":" + raw));
        return json.toString();
    }

    private static String nested(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    static Stream<Arguments> badBodies() {
        String big = "\"" + "x".repeat(33 * 1024) + "\"";
        return Stream.of(
                bad("empty body", "", "MalformedJson", "body"),
                bad("not JSON", "customerAlias=c&eventType=t", "MalformedJson", "body"),
                bad("truncated JSON", "{\"customerAlias\":\"c\",\"eventType\":\"t\"", "MalformedJson", "body"),
                bad("two JSON values", "{\"customerAlias\":\"c\",\"eventType\":\"t\"} {}", "MalformedJson", "body"),
                bad("duplicate key", "{\"customerAlias\":\"c\",\"customerAlias\":\"d\",\"eventType\":\"t\"}",
                        "MalformedJson", "body"),
                bad("single quotes", "{'customerAlias':'c','eventType':'t'}", "MalformedJson", "body"),
                bad("NaN", with("eventProperties", "{\"n\":NaN}"), "MalformedJson", "body"),
                bad("nesting beyond the parser's limit", with("eventProperties", nested(80)), "MalformedJson", "body"),
                bad("an array", "[{\"customerAlias\":\"c\",\"eventType\":\"t\"}]", "ValidationError", "body"),
                bad("a string", "\"event\"", "ValidationError", "body"),
                bad("null", "null", "ValidationError", "body"),
                bad("empty object", "{}", "ValidationError", "customerAlias"),
                bad("customerAlias missing", "{\"eventType\":\"t\"}", "ValidationError", "customerAlias"),
                bad("eventType missing", "{\"customerAlias\":\"c\"}", "ValidationError", "eventType"),
                bad("customerAlias null", with("customerAlias", "null"), "ValidationError", "customerAlias"),
                bad("customerAlias a number", with("customerAlias", "42"), "ValidationError", "customerAlias"),
                bad("customerAlias an object", with("customerAlias", "{\"id\":\"c\"}"), "ValidationError",
                        "customerAlias"),
                bad("customerAlias empty", with("customerAlias", "\"\""), "ValidationError", "customerAlias"),
                bad("customerAlias too long", with("customerAlias", "\"" + "c".repeat(256) + "\""),
                        "ValidationError", "customerAlias"),
                bad("customerAlias with U+0000", with("customerAlias", "\"c\\u0000\""), "ValidationError",
                        "customerAlias"),
                bad("customerAlias with a newline", with("customerAlias", "\"c\\n\""), "ValidationError",
                        "customerAlias"),
                bad("eventType a boolean", with("eventType", "true"), "ValidationError", "eventType"),
                bad("eventType with U+0000", with("eventType", "\"t\\u0000\""), "ValidationError", "eventType"),
                bad("customerEventId a number", with("customerEventId", "7"), "ValidationError", "customerEventId"),
                bad("customerEventId empty", with("customerEventId", "\"\""), "ValidationError", "customerEventId"),
                bad("customerEventId too long", with("customerEventId", "\"" + "e".repeat(256) + "\""),
                        "ValidationError", "customerEventId"),
                bad("eventTimestamp not a time", with("eventTimestamp", "\"yesterday\""), "ValidationError",
                        "eventTimestamp"),
                bad("eventTimestamp without offset", with("eventTimestamp", "\"2022-10-01T00:00:00\""),
                        "ValidationError", "eventTimestamp"),
                bad("eventTimestamp a date only", with("eventTimestamp", "\"2022-10-01\""), "ValidationError",
                        "eventTimestamp"),
                bad("eventTimestamp impossible date", with("eventTimestamp", "\"2022-02-30T00:00:00Z\""),
                        "ValidationError", "eventTimestamp"),
                bad("eventTimestamp epoch millis", with("eventTimestamp", "1664582400000"), "ValidationError",
                        "eventTimestamp"),
                bad("eventTimestamp before 2000", with("eventTimestamp", "\"1999-12-31T23:59:59Z\""),
                        "ValidationError", "eventTimestamp"),
                bad("eventTimestamp far ahead", with("eventTimestamp", "\"2999-01-01T00:00:00Z\""),
                        "ValidationError", "eventTimestamp"),
                bad("eventProperties an array", with("eventProperties", "[1,2]"), "ValidationError",
                        "eventProperties"),
                bad("eventProperties a string", with("eventProperties", "\"{}\""), "ValidationError",
                        "eventProperties"),
                bad("eventProperties a number", with("eventProperties", "500"), "ValidationError", "eventProperties"),
                bad("eventProperties value with U+0000", with("eventProperties", "{\"note\":\"a\\u0000b\"}"),
                        "ValidationError", "eventProperties.note"),
                bad("eventProperties key with U+0000", with("eventProperties", "{\"a\\u0000\":1}"),
                        "ValidationError", "eventProperties"),
                bad("eventProperties nested 17 deep", with("eventProperties", nested(17)), "ValidationError",
                        "eventProperties" + ".a".repeat(16)),
                bad("eventProperties over 32 KiB", with("eventProperties", "{\"big\":" + big + "}"),
                        "ValidationError", "eventProperties"),
                bad("several wrong fields at once", "{\"customerAlias\":1,\"eventType\":[],\"eventProperties\":3}",
                        "ValidationError", "eventType"));
    }

    private static Arguments bad(String name, String body, String type, String field) {
        return Arguments.of(name, body.getBytes(StandardCharsets.UTF_8), type, field);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void refusesABadBodyNamingTheFieldAndStoresNothing(String name, byte[] body, String type, String field) {
        ExtractableResponse<Response> answer = client.post(body);

        assertThat(answer.statusCode()).as(name + ": " + answer.asString()).isEqualTo(400);
        answer.response().then()
                .contentType("application/json")
                .header("Sequence-Version", "2024-07-30")
                .body("error.type", equalTo(type))
                .body("error.message", notNullValue())
                .body("error.errors.field", hasItem(field))
                .body("error.errors.message", everyItem(notNullValue()));
        assertThat(client.count()).isEqualTo(2);
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        byte[] prefix = "{\"customerAlias\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\",\"eventType\":\"t\"}".getBytes(StandardCharsets.UTF_8);
        byte[] body = Arrays.copyOf(prefix, prefix.length + 2 + suffix.length);
        body[prefix.length] = (byte) 0xC3;
        body[prefix.length + 1] = (byte) 0x28;
        System.arraycopy(suffix, 0, body, prefix.length + 2, suffix.length);

        client.post(body).response().then().statusCode(400)
                .body("error.type", equalTo("MalformedJson")).body("error.errors.field", hasItem("body"));
        assertThat(client.count()).isEqualTo(2);
    }

    @Test
    void aBodyOfExactlyTheLimitIsReadAndJudgedOnItsContent() {
        SequenceTestClient padded = SequenceTestClient.newAccount();
        byte[] body = new byte[MAX_BODY];
        Arrays.fill(body, (byte) ' ');
        byte[] event = "{\"customerAlias\":\"c\",\"eventType\":\"padded\"}".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(event, 0, body, 0, event.length);

        padded.post(body).response().then().statusCode(201).body("eventType", equalTo("padded"));
        assertThat(padded.count()).isEqualTo(1);
    }

    @Test
    void refusesABodyOverTheLimitWith413WithoutWaitingForIt() throws IOException {
        long before = client.count();
        String head = "POST " + EVENTS + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + client.authorization()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + (MAX_BODY + 1) + "\r\n\r\n";
        String answer;
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.UTF_8));
            out.flush();
            answer = readUntilClosed(socket.getInputStream());
        }

        assertThat(answer).startsWith("HTTP/1.1 413 ");
        String headers = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase();
        assertThat(headers).contains("content-type: application/json", "sequence-version: 2024-07-30",
                "connection: close");
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        assertThat(body).isEqualTo("{\"error\":{\"type\":\"PayloadTooLarge\",\"message\":\"The request body is too "
                + "large: it must be at most 5242880 bytes (got 5242881)\",\"errors\":[{\"field\":\"body\","
                + "\"message\":\"must be at most 5242880 bytes (got 5242881)\"}]}}");
        assertThat(client.count()).isEqualTo(before);
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            read.write(buffer, 0, n);
        }
        return read.toString(StandardCharsets.UTF_8);
    }

    static Stream<Arguments> badQueries() {
        return Stream.of(
                Arguments.of("sortOrder", "sideways", "sortOrder"),
                Arguments.of("limit", "0", "limit"),
                Arguments.of("limit", "101", "limit"),
                Arguments.of("limit", "-1", "limit"),
                Arguments.of("limit", "abc", "limit"),
                Arguments.of("limit", "1.5", "limit"),
                Arguments.of("limit", "99999999999", "limit"),
                Arguments.of("after", "not-a-cursor", "after"),
                Arguments.of("before", "bm90LWEtY3Vyc29y", "before"),
                Arguments.of("eventTimestampAfter", "yesterday", "eventTimestampAfter"),
                Arguments.of("eventTimestampBefore", "2022-10-01", "eventTimestampBefore"),
                Arguments.of("customerAlias", "c\u0000", "customerAlias"),
                Arguments.of("eventType", "t".repeat(256), "eventType"),
                Arguments.of("eventId", "e".repeat(256), "eventId"),
                Arguments.of("offset", "10", "offset"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badQueries")
    void refusesABadQueryParameterNamingIt(String parameter, String value, String field) {
        client.request().queryParam(parameter, value).when().get(EVENTS)
                .then().statusCode(400)
                .header("Sequence-Version", "2024-07-30")
                .body("error.type", equalTo("ValidationError"))
                .body("error.message", startsWith(field + ": "))
                .body("error.errors.field", hasItem(field));
    }

    @Test
    void refusesContradictoryQueryParametersAndIgnoresEmptyOnes() {
        client.request().queryParam("after", cursor).queryParam("before", cursor).when().get(EVENTS)
                .then().statusCode(400).body("error.errors.field", equalTo(List.of("after")));
        client.request().queryParam("eventTimestampAfter", "2024-01-02T00:00:00Z")
                .queryParam("eventTimestampBefore", "2024-01-01T00:00:00Z").when().get(EVENTS)
                .then().statusCode(400).body("error.errors.field", equalTo(List.of("eventTimestampAfter")));
        client.request().queryParam("eventTimestampAfter", "2024-01-01T00:00:00Z")
                .queryParam("eventTimestampBefore", "2024-01-01T00:00:00Z").when().get(EVENTS)
                .then().statusCode(400).body("error.errors.field", equalTo(List.of("eventTimestampAfter")));
        client.request().queryParam("limit", "0").queryParam("sortOrder", "up").when().get(EVENTS)
                .then().statusCode(400)
                .body("error.errors.field", equalTo(List.of("sortOrder", "limit")))
                .body("error.message", not(startsWith("limit")));
        client.request().queryParam("after", cursor).queryParam("offset", "0").when().get(EVENTS)
                .then().statusCode(200).body("items.size()", equalTo(1));
        client.request().urlEncodingEnabled(false).when()
                .get(EVENTS + "?customerAlias=&eventType=&eventId=&sortOrder=&limit=&after=&before=&offset=")
                .then().statusCode(200).body("pagination.totalResultSize", equalTo(2)).body("items.size()", equalTo(2));
    }
}
