package dev.usageevents.app.corpus;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.app.testing.TestAccount;
import com.fasterxml.jackson.databind.JsonNode;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every case of the bad-input corpus ({@code src/test/resources/bad-inputs/}, see {@link Corpus}) against the
 * running app: each must get the status (or gRPC code) its case expects, never a 5xx / UNKNOWN / INTERNAL; the
 * answer must contain the text that names the problem; and the events of the test's accounts in the database must
 * be exactly those there were before the case.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class BadInputCorpusTest {

    /** The corpus may grow; it must never silently shrink below this. */
    static final int MINIMUM_CASES = 200;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theCorpusHasAtLeast200CasesOverEveryEndpointAndRpc() {
        List<Corpus.Case> cases = Corpus.load();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(MINIMUM_CASES);
        assertThat(cases.stream().filter(Corpus.Case::grpc).map(c -> c.spec().get("method").asText()).distinct())
                .containsExactlyInAnyOrder("IngestEvent", "IngestEvents", "StreamEvents", "GetEvent", "ListEvents",
                        "VoidEvents", "CreateMeter", "GetMeter", "ListMeters", "UpdateMeter", "DeleteMeter",
                        "QueryMeter");
        assertThat(cases.stream().filter(c -> !c.grpc())
                .map(c -> c.spec().get("method").asText() + " " + c.spec().get("path").asText().replaceAll(
                        "/[0-9a-f]{8}-[^/]*|/\\{\\{[a-zA-Z]+}}|/[^/]*(?=/rotate-secrets)", "/{id}"))
                .distinct())
                .contains("POST /api/usage-events", "GET /api/usage-events", "GET /api/usage-events/{id}",
                        "POST /v1/identify", "POST /v1/usage_events", "GET /v1/usage_events",
                        "POST /admin/accounts", "GET /admin/accounts", "POST /admin/accounts/{id}/rotate-secrets",
                        "POST /api/usage-metrics", "GET /api/usage-metrics", "PUT /api/usage-metrics/{id}",
                        "GET /api/usage-metrics/{id}/calculate", "GET /api/usage-metrics/{id}/usage",
                        "GET /v1/usage_metrics/{id}/report", "GET /v1/usage_events/{id}/report", "GET /v1/customer");
        assertThat(cases.stream().map(Corpus.Case::name).distinct()).hasSameSizeAs(cases);
    }

    /** The limit on chunked bodies (which the corpus tests past it) still lets a chunked body within it through. */
    @Test
    void aChunkedBodyWithinTheLimitIsRead() throws Exception {
        Fixtures fixtures = Fixtures.create();
        long before = storedEvents(fixtures);
        byte[] sequence = "{\"customerAlias\":\"c\",\"eventType\":\"chunked\"}".getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer created = RawHttp.send("POST", "/api/usage-events", Map.of("Authorization", fixtures.get("basic"),
                "Content-Type", "application/json"), sequence, true);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("\"eventType\":\"chunked\"");
        byte[] mantle = "{\"eventName\":\"chunked\",\"customerId\":\"c\"}".getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer sent = RawHttp.send("POST", "/v1/usage_events", Map.of("X-Mantle-App-Id", fixtures.get("appId"),
                "X-Mantle-App-Api-Key", fixtures.get("apiKey"), "Content-Type", "application/json"), mantle, true);
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(storedEvents(fixtures)).isEqualTo(before + 2);
    }

    @TestFactory
    Stream<DynamicNode> everyBadInputIsRefusedNamingTheProblemAndStoresNothing() {
        Fixtures fixtures = Fixtures.create();
        Map<String, List<Corpus.Case>> byFile = new LinkedHashMap<>();
        Corpus.load().forEach(c -> byFile.computeIfAbsent(c.file(), f -> new ArrayList<>()).add(c));
        GrpcRunner grpc = new GrpcRunner(fixtures);
        return byFile.entrySet().stream().map(file -> DynamicContainer.dynamicContainer(file.getKey(),
                file.getValue().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c, fixtures, grpc)))));
    }

    private void run(Corpus.Case c, Fixtures fixtures, GrpcRunner grpc) throws Exception {
        long before = storedEvents(fixtures);
        if (c.grpc()) {
            grpc.run(c);
        } else {
            runRest(c, fixtures);
        }
        assertThat(storedEvents(fixtures)).as("%s: events of the test's accounts in the database", c.name())
                .isEqualTo(before);
    }

    private static void runRest(Corpus.Case c, Fixtures fixtures) throws IOException {
        JsonNode spec = c.spec();
        String method = spec.get("method").asText();
        String path = fixtures.substitute(spec.get("path").asText());
        String query = spec.has("query") ? fixtures.substitute(spec.get("query").asText()) : "";
        Map<String, String> headers = new LinkedHashMap<>();
        if (spec.has("headers")) {
            spec.get("headers").fields().forEachRemaining(h -> headers.put(h.getKey(),
                    fixtures.substitute(h.getValue().asText())));
        }
        byte[] body = Corpus.body(spec, fixtures::substitute);
        if (body != null && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
            headers.put("Content-Type", "application/json");
        }
        String target = path + (query.isEmpty() ? "" : "?" + query);
        int status;
        String answer;
        if (spec.path("raw").asBoolean(false)) {
            RawHttp.Answer raw = RawHttp.send(method, target, headers, body, spec.path("chunked").asBoolean(false));
            status = raw.status();
            answer = raw.body();
        } else {
            RequestSpecification request = given().urlEncodingEnabled(false);
            headers.forEach(request::header);
            if (body != null) {
                request.body(body);
            }
            Response response = request.request(method, target);
            status = response.statusCode();
            answer = response.asString();
        }
        String what = c.name() + " -> " + status + " " + abbreviate(answer);
        assertThat(status).as(what).isBetween(400, 499);
        assertThat(c.statuses()).as(what).contains(status);
        assertThat(answer).as(what).contains(fixtures.substitute(spec.get("contains").asText()));
    }

    static String abbreviate(String text) {
        return text.length() <= 600 ? text : text.substring(0, 600) + "...";
    }

    /** Rows of usage_events, every version, of the accounts this test made. */
    private long storedEvents(Fixtures fixtures) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement(
                        "select count(*) from usage_events where account_id = ? or account_id = ?")) {
            count.setObject(1, UUID.fromString(fixtures.get("accountId")));
            count.setObject(2, UUID.fromString(fixtures.get("otherAccountId")));
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /**
     * Two accounts with a few events each, and the values the corpus refers to as {@code {{name}}}: credentials
     * good and bad, ids of stored events, cursors, and times relative to now.
     */
    static final class Fixtures {

        private final Map<String, String> values = new LinkedHashMap<>();

        static Fixtures create() {
            Fixtures f = new Fixtures();
            TestAccount a = TestAccount.unique("corpus-a");
            TestAccount b = TestAccount.unique("corpus-b");
            f.values.put("adminToken", TestAccount.ADMIN_TOKEN);
            f.values.put("accountId", a.id());
            f.values.put("otherAccountId", b.id());
            f.values.put("clientId", a.sequenceClientId());
            f.values.put("basic", a.sequenceAuthorization());
            f.values.put("otherBasic", b.sequenceAuthorization());
            f.values.put("wrongSecretBasic", TestAccount.basic(a.sequenceClientId(),
                    a.sequenceClientSecret() + "x"));
            f.values.put("appId", a.mantleAppId());
            f.values.put("apiKey", a.mantleApiKey());
            f.values.put("otherAppId", b.mantleAppId());
            f.values.put("otherApiKey", b.mantleApiKey());

            f.values.put("eventId", sequenceEvent(f.get("basic"), "kept-1", "2024-01-01T00:00:00Z"));
            sequenceEvent(f.get("basic"), "kept-2", "2024-01-01T00:00:01Z");
            f.values.put("otherEventId", sequenceEvent(f.get("otherBasic"), "other-1", "2024-01-01T00:00:00Z"));
            f.values.put("customerToken", identify(f.get("appId"), f.get("apiKey"), "cust-a"));
            f.values.put("otherCustomerToken", identify(f.get("otherAppId"), f.get("otherApiKey"), "cust-b"));
            given().header("X-Mantle-App-Id", f.get("appId")).header("X-Mantle-App-Api-Key", f.get("apiKey"))
                    .contentType(ContentType.JSON)
                    .body("{\"eventId\":\"kept-3\",\"eventName\":\"n\",\"customerId\":\"cust-a\"}")
                    .when().post("/v1/usage_events").then().statusCode(200);
            f.values.put("cursor", given().header("Authorization", f.get("basic")).queryParam("limit", 1)
                    .when().get("/api/usage-events").then().statusCode(200).extract().path("pagination.after"));
            f.values.put("mantleCursor", given().header("X-Mantle-App-Id", f.get("appId"))
                    .header("X-Mantle-App-Api-Key", f.get("apiKey")).when().get("/v1/usage_events?take=1")
                    .then().statusCode(200).extract().path("cursor"));

            Instant inTwoHours = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
            f.values.put("inTwoHoursIso", inTwoHours.toString());
            f.values.put("inTwoHoursMillis", Long.toString(inTwoHours.toEpochMilli()));
            f.values.put("uniqueId", UUID.randomUUID().toString());
            f.values.put("meterName", "corpus-meter");
            f.values.put("meterId", meter(f.get("basic"), "corpus-meter"));
            f.values.put("otherMeterId", meter(f.get("otherBasic"), "corpus-other-meter"));
            return f;
        }

        String get(String name) {
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("no fixture {{" + name + "}}");
            }
            return value;
        }

        /** The text with every {@code {{name}}} replaced by its value; an unknown name is an error. */
        String substitute(String text) {
            StringBuilder out = new StringBuilder(text.length());
            int from = 0;
            for (int open = text.indexOf("{{", from); open >= 0; open = text.indexOf("{{", from)) {
                int close = text.indexOf("}}", open);
                if (close < 0) {
                    break;
                }
                out.append(text, from, open).append(get(text.substring(open + 2, close)));
                from = close + 2;
            }
            return out.append(text.substring(from)).toString();
        }

        /** A COUNT meter of the account, defined through the Sequence API; its id. */
        private static String meter(String basic, String name) {
            return given().header("Authorization", basic).contentType(ContentType.JSON)
                    .body("{\"name\":\"" + name + "\",\"eventType\":\"n\",\"aggregationType\":\"COUNT\"}")
                    .when().post("/api/usage-metrics").then().statusCode(201).extract().path("id");
        }


        private static String sequenceEvent(String basic, String eventId, String timestamp) {
            return given().header("Authorization", basic).contentType(ContentType.JSON)
                    .body("{\"customerAlias\":\"c\",\"eventType\":\"t\",\"customerEventId\":\"" + eventId
                            + "\",\"eventTimestamp\":\"" + timestamp + "\",\"eventProperties\":{\"n\":1}}")
                    .when().post("/api/usage-events").then().statusCode(201).extract().path("id");
        }

        private static String identify(String appId, String apiKey, String platformId) {
            return given().header("X-Mantle-App-Id", appId).header("X-Mantle-App-Api-Key", apiKey)
                    .contentType(ContentType.JSON)
                    .body("{\"platform\":\"stripe\",\"platformId\":\"" + platformId + "\"}")
                    .when().post("/v1/identify").then().statusCode(200).extract().path("apiToken");
        }
    }

    /**
     * HTTP/1.1 over a plain socket, for bodies the server refuses before reading them: the body is written on
     * another thread while the answer is read, so that the server closing the connection early loses nothing.
     */
    static final class RawHttp {

        record Answer(int status, String body) {
        }

        static Answer send(String method, String target, Map<String, String> headers, byte[] content,
                boolean chunked) throws IOException {
            byte[] body = content == null ? new byte[0] : content;
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append(chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n");
            head.append("Connection: close\r\n\r\n");
            try (Socket socket = new Socket("localhost", RestAssured.port)) {
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread writer = new Thread(() -> writeBody(out, body, chunked), "corpus-body-writer");
                writer.setDaemon(true);
                writer.start();
                String answer = readUntilClosed(socket.getInputStream());
                int status = Integer.parseInt(answer.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
                int end = answer.indexOf("\r\n\r\n");
                return new Answer(status, end < 0 ? "" : answer.substring(end + 4));
            }
        }

        private static void writeBody(OutputStream out, byte[] body, boolean chunked) {
            int chunk = 64 * 1024;
            try {
                for (int at = 0; at < body.length; at += chunk) {
                    int length = Math.min(chunk, body.length - at);
                    if (chunked) {
                        out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write(body, at, length);
                    if (chunked) {
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }
                if (chunked) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (IOException closedByTheServer) {
                // the server answered without reading the rest: the answer is what the test looks at
                return;
            }
        }

        private static String readUntilClosed(InputStream in) throws IOException {
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    read.write(buffer, 0, n);
                }
            } catch (SocketException resetAfterTheAnswer) {
                if (read.size() == 0) {
                    throw resetAfterTheAnswer;
                }
            }
            return read.toString(StandardCharsets.UTF_8);
        }
    }
}
