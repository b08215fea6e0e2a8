package dev.usageevents.app.mantle;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/** A fresh account with both credentials: meters are defined through Sequence, read through Mantle. */
record MantleMeterAccount(MantleApp mantle, String sequenceAuthorization) {

    static MantleMeterAccount create() {
        ExtractableResponse<Response> created = given().header("Authorization", "Bearer test-admin-token")
                .contentType(ContentType.JSON).body("{\"name\":\"meters-" + UUID.randomUUID() + "\"}")
                .when().post("/admin/accounts")
                .then().statusCode(201).extract();
        String basic = "Basic " + Base64.getEncoder().encodeToString((created.<String>path("sequence.clientId")
                + ":" + created.<String>path("sequence.clientSecret")).getBytes(StandardCharsets.UTF_8));
        return new MantleMeterAccount(new MantleApp(created.path("id"), created.path("mantle.appId"),
                created.path("mantle.apiKey")), basic);
    }

    /** Defines a meter through the Sequence API; returns its id. */
    String meter(String name, String aggregationType, String aggregationProperty) {
        return given().header("Authorization", sequenceAuthorization).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"metricType\":\"SIMPLE\",\"eventType\":\"api.call\","
                        + "\"aggregationType\":\"" + aggregationType + "\""
                        + (aggregationProperty == null ? "" : ",\"aggregationProperty\":\"" + aggregationProperty
                                + "\"") + "}")
                .when().post("/api/usage-metrics").then().statusCode(201).extract().path("id");
    }
}
