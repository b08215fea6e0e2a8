package dev.usageevents.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.app.testing.TestAccount;
import dev.usageevents.persistence.testing.PostgresTestResource;
import dev.usageevents.rest.common.RequestBodies;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The one route that reads request bodies ({@code RequestBodies}), over raw sockets: credentials are checked before
 * a byte of the body is read, the bytes held at once are capped ({@code usage.max-buffered-bytes}, 8 MiB
 * by default), and only a body received whole goes on to a resource.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class RequestBodiesTest {

    private static final int FIVE_MIB = 5 * 1024 * 1024;

    @Inject
    RequestBodies bodies;

    /** Headers only: the body announced is never sent, so an answer proves it was not waited for. */
    @Test
    void wrongCredentialsAre401BeforeTheBodyIsRead() throws Exception {
        TestAccount account = TestAccount.unique("bodies");
        String wrongBasic = basic(account.sequenceClientId(), "wrong");
        assertThat(headersOnly("/api/usage-events", "Authorization: " + wrongBasic, FIVE_MIB))
                .startsWith("HTTP/1.1 401").contains("client id and secret").contains("Sequence-Version");
        assertThat(headersOnly("/api/usage-events", "Authorization: Basic " + Base64.getEncoder()
                .encodeToString("id\u0000:secret".getBytes(StandardCharsets.UTF_8)), FIVE_MIB))
                .startsWith("HTTP/1.1 401");
        assertThat(headersOnly("/v1/usage_events", "X-Mantle-App-Id: " + account.mantleAppId()
                + "\r\nX-Mantle-App-Api-Key: wrong", FIVE_MIB))
                .startsWith("HTTP/1.1 401").contains("X-Mantle-App-Api-Key");
        assertThat(headersOnly("/admin/accounts", "Authorization: Bearer wrong", FIVE_MIB))
                .startsWith("HTTP/1.1 401").contains("Unauthorized");
    }

    /**
     * Valid callers that announce 5 MiB and send nothing hold 5 MiB each of the budget; once it is taken, the next
     * body is refused with 503 and Retry-After before it is read, and taken again once the others are gone.
     */
    @Test
    void bodiesBeyondTheBufferedBytesCapAre503BeforeTheyAreRead() throws Exception {
        TestAccount account = TestAccount.unique("bodies");
        String basic = "Authorization: " + account.sequenceAuthorization();
        List<Socket> holders = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                holders.add(open("/api/usage-events", basic, FIVE_MIB));
            }
            Thread.sleep(500);
            String refused = headersOnly("/api/usage-events", basic, FIVE_MIB);
            assertThat(refused).startsWith("HTTP/1.1 503").containsIgnoringCase("Retry-After: 1")
                    .contains("ServiceUnavailable").contains("Retry in 1 s");
        } finally {
            for (Socket holder : holders) {
                holder.close();
            }
        }
        Thread.sleep(500);
        given().header("Authorization", basic.substring("Authorization: ".length())).contentType(ContentType.JSON)
                .body("{\"customerAlias\":\"c\",\"eventType\":\"after-the-wave\"}")
                .when().post("/api/usage-events").then().statusCode(201);
    }

    /** Bodies answered on kept-alive connections give their bytes back: the budget does not leak. */
    @Test
    void everyBodyGivesItsBytesBackOnceAnswered() throws Exception {
        TestAccount account = TestAccount.unique("bodies");
        String basic = account.sequenceAuthorization();
        for (int i = 0; i < 5; i++) {
            given().header("Authorization", basic).contentType(ContentType.JSON)
                    .body("{\"customerAlias\":\"c\",\"eventType\":\"kept-alive\"}")
                    .when().post("/api/usage-events").then().statusCode(201);
            given().header("Authorization", basic).contentType(ContentType.JSON).body("{")
                    .when().post("/api/usage-events").then().statusCode(400);
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (bodies.budget().held() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(bodies.budget().held()).as("bytes still reserved").isZero();
    }

    /** A Content-Length larger than the bytes sent, then the sending side closed: no acknowledgement. */
    @Test
    void aBodyCutShortIsNeverAcknowledged() throws Exception {
        TestAccount account = TestAccount.unique("bodies");
        String eventType = "cut-" + UUID.randomUUID();
        byte[] body = ("{\"customerAlias\":\"c\",\"eventType\":\"" + eventType + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        String basic = account.sequenceAuthorization();
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/usage-events HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + basic + "\r\nContent-Type: application/json\r\nContent-Length: " + (body.length + 10)
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.shutdownOutput();
            assertThat(readAll(socket.getInputStream())).doesNotStartWith("HTTP/1.1 2");
        }
        given().header("Authorization", basic).queryParam("eventType", eventType).when().get("/api/usage-events")
                .then().statusCode(200).body("items.size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void aMalformedChunkedBodyIs400() throws Exception {
        TestAccount account = TestAccount.unique("bodies");
        String basic = account.sequenceAuthorization();
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/usage-events HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + basic + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "zz\r\n{}\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(readAll(socket.getInputStream())).startsWith("HTTP/1.1 400");
        }
    }

    private static Socket open(String path, String headers, long declared) throws IOException {
        Socket socket = new Socket("localhost", RestAssured.port);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers
                + "\r\nContent-Type: application/json\r\nContent-Length: " + declared + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    private static String headersOnly(String path, String headers, long declared) throws IOException {
        try (Socket socket = open(path, headers, declared)) {
            return readAll(socket.getInputStream());
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                read.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // what came before the reset is the answer
        }
        return read.toString(StandardCharsets.UTF_8);
    }

    private static String basic(String clientId, String secret) {
        return TestAccount.basic(clientId, secret);
    }
}
