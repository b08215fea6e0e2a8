package dev.usageevents.rest.mantle;

import static io.restassured.RestAssured.given;

import dev.usageevents.rest.testing.TestAccount;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** An account of the running service, seen as a Mantle app: its app id and API key, and calls made with them. */
record MantleApp(String accountId, String appId, String apiKey) {

    static final String APP_ID = "X-Mantle-App-Id";
    static final String API_KEY = "X-Mantle-App-Api-Key";
    static final String CUSTOMER_TOKEN = "X-Mantle-Customer-Api-Token";
    static final String EVENTS = "/v1/usage_events";

    /** A new account, made through the admin API. */
    static MantleApp create(String name) {
        TestAccount account = TestAccount.create(name);
        return new MantleApp(account.id(), account.mantleAppId(), account.mantleApiKey());
    }

    /** A request as the app's server sends it. */
    RequestSpecification server() {
        return given().header(APP_ID, appId).header(API_KEY, apiKey).contentType(ContentType.JSON);
    }

    /** A request as a customer's browser sends it. */
    RequestSpecification customer(String token) {
        return given().header(APP_ID, appId).header(CUSTOMER_TOKEN, token).contentType(ContentType.JSON);
    }

    /** Identifies a customer whose reference is {@code platformId}; returns its API token. */
    String identify(String platformId) {
        return identify(platformId, false);
    }

    String identify(String platformId, boolean rotate) {
        return server().body("{\"platform\":\"stripe\",\"platformId\":\"" + platformId + "\",\"rotateApiToken\":"
                        + rotate + "}")
                .when().post("/v1/identify")
                .then().statusCode(200).extract().path("apiToken");
    }

    /** How many current events the account holds. */
    long eventCount() {
        return server().when().get(EVENTS + "?take=1").then().statusCode(200).extract().<Number>path("total")
                .longValue();
    }

    /** A test resource as text. */
    static String resource(String name) {
        try (InputStream in = MantleApp.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
