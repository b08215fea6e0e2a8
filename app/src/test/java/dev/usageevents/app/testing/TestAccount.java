package dev.usageevents.app.testing;

import static io.restassured.RestAssured.given;

import dev.usageevents.grpc.v1.UsageEventsServiceGrpc;
import dev.usageevents.grpc.v1.UsageMetersServiceGrpc;
import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * The one test-account fixture of the app's tests: an account made through the admin API of the running test
 * app, with its credentials for Sequence (REST and gRPC) and Mantle, and requests that carry them. The admin token
 * is the test profile's ({@code %test.usage.admin.token} in application.properties); tests name it only here.
 */
public record TestAccount(String id, String name, String sequenceClientId, String sequenceClientSecret,
        String mantleAppId, String mantleApiKey) {

    /** The admin token of the test profile. */
    public static final String ADMIN_TOKEN = "test-admin-token";
    /** The admin API's Authorization header value. */
    public static final String ADMIN = "Bearer " + ADMIN_TOKEN;

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /** A request to the admin API, with the admin token. */
    public static RequestSpecification admin() {
        return given().header("Authorization", ADMIN);
    }

    /** A new account named {@code name}. */
    public static TestAccount create(String name) {
        return of(admin().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                .when().post("/admin/accounts")
                .then().statusCode(201).extract());
    }

    /** A new account with a unique name starting with {@code prefix}. */
    public static TestAccount unique(String prefix) {
        return create(prefix + "-" + UUID.randomUUID());
    }

    /** The account of an admin API answer (creation or rotation: both carry the secrets). */
    public static TestAccount of(ExtractableResponse<Response> answer) {
        return new TestAccount(answer.path("id"), answer.path("name"), answer.path("sequence.clientId"),
                answer.path("sequence.clientSecret"), answer.path("mantle.appId"), answer.path("mantle.apiKey"));
    }

    /** The same account with new secrets, rotated through the admin API; the old ones stop working. */
    public TestAccount rotateSecrets() {
        return of(admin().when().post("/admin/accounts/" + id + "/rotate-secrets")
                .then().statusCode(200).extract());
    }

    /** {@code Basic base64(clientId:clientSecret)}. */
    public static String basic(String clientId, String clientSecret) {
        return "Basic " + Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
    }

    /** The Sequence credentials as an Authorization header value (REST) or metadata entry (gRPC). */
    public String sequenceAuthorization() {
        return basic(sequenceClientId, sequenceClientSecret);
    }

    /** A request with the Sequence credentials. */
    public RequestSpecification sequence() {
        return given().header("Authorization", sequenceAuthorization());
    }

    /** A request as the Mantle app's server sends it: app id and API key. */
    public RequestSpecification mantle() {
        return given().header("X-Mantle-App-Id", mantleAppId).header("X-Mantle-App-Api-Key", mantleApiKey);
    }

    /** Attaches {@code authorization: <value>} to every gRPC call. */
    public static ClientInterceptor grpcAuthorization(String value) {
        Metadata metadata = new Metadata();
        metadata.put(AUTHORIZATION, value);
        return MetadataUtils.newAttachHeadersInterceptor(metadata);
    }

    /** The Sequence credentials on every gRPC call. */
    public ClientInterceptor grpcCredentials() {
        return grpcAuthorization(sequenceAuthorization());
    }

    public UsageEventsServiceGrpc.UsageEventsServiceBlockingStub blocking(Channel channel) {
        return UsageEventsServiceGrpc.newBlockingStub(channel).withInterceptors(grpcCredentials());
    }

    public UsageEventsServiceGrpc.UsageEventsServiceStub async(Channel channel) {
        return UsageEventsServiceGrpc.newStub(channel).withInterceptors(grpcCredentials());
    }

    public UsageMetersServiceGrpc.UsageMetersServiceBlockingStub meters(Channel channel) {
        return UsageMetersServiceGrpc.newBlockingStub(channel).withInterceptors(grpcCredentials());
    }

    @Override
    public String toString() {
        return "TestAccount[" + id + ", " + name + "]";
    }
}
