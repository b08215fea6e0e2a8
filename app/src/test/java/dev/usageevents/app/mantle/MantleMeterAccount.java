package dev.usageevents.app.mantle;

import static io.restassured.RestAssured.given;

import dev.usageevents.app.testing.TestAccount;
import io.restassured.http.ContentType;

/** A fresh account with both credentials: meters are defined through Sequence, read through Mantle. */
record MantleMeterAccount(MantleApp mantle, String sequenceAuthorization) {

    static MantleMeterAccount create() {
        TestAccount account = TestAccount.unique("meters");
        return new MantleMeterAccount(MantleApp.of(account), account.sequenceAuthorization());
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
