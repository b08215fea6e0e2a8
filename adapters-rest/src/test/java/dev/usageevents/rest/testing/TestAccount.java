package dev.usageevents.rest.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * An account made through the admin API of the module's test app (over {@link InMemoryPorts}), with its Sequence
 * and Mantle credentials. The admin token is the one of src/test/resources/application.properties.
 */
public record TestAccount(String id, String sequenceClientId, String sequenceClientSecret, String mantleAppId,
        String mantleApiKey) {

    public static final String ADMIN = "Bearer test-admin-token";

    /** A request to the admin API, with the admin token. */
    public static RequestSpecification admin() {
        return given().header("Authorization", ADMIN);
    }

    public static TestAccount create(String name) {
        ExtractableResponse<Response> created = admin().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\"}")
                .when().post("/admin/accounts")
                .then().statusCode(201).extract();
        return new TestAccount(created.path("id"), created.path("sequence.clientId"),
                created.path("sequence.clientSecret"), created.path("mantle.appId"), created.path("mantle.apiKey"));
    }

    public static TestAccount unique(String prefix) {
        return create(prefix + "-" + UUID.randomUUID());
    }

    public static String basic(String clientId, String clientSecret) {
        return "Basic " + Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
    }

    public String sequenceAuthorization() {
        return basic(sequenceClientId, sequenceClientSecret);
    }
}
