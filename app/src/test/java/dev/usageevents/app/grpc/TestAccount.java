package dev.usageevents.app.grpc;

import static io.restassured.RestAssured.given;

import dev.usageevents.grpc.v1.UsageEventsServiceGrpc;
import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A new account, made through the admin API, and gRPC stubs that carry its Sequence credentials. */
record TestAccount(String id, String clientId, String clientSecret) {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    static TestAccount create(String name) {
        JsonPath created = given().header("Authorization", "Bearer test-admin-token").contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\"}")
                .when().post("/admin/accounts")
                .then().statusCode(201).extract().jsonPath();
        return new TestAccount(created.getString("id"), created.getString("sequence.clientId"),
                created.getString("sequence.clientSecret"));
    }

    static String basic(String clientId, String clientSecret) {
        return "Basic " + Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
    }

    /** Attaches {@code authorization: <value>} to every call. */
    static ClientInterceptor authorization(String value) {
        Metadata metadata = new Metadata();
        metadata.put(AUTHORIZATION, value);
        return MetadataUtils.newAttachHeadersInterceptor(metadata);
    }

    ClientInterceptor credentials() {
        return authorization(basic(clientId, clientSecret));
    }

    UsageEventsServiceGrpc.UsageEventsServiceBlockingStub blocking(Channel channel) {
        return UsageEventsServiceGrpc.newBlockingStub(channel).withInterceptors(credentials());
    }

    UsageEventsServiceGrpc.UsageEventsServiceStub async(Channel channel) {
        return UsageEventsServiceGrpc.newStub(channel).withInterceptors(credentials());
    }
}
