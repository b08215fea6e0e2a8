package dev.usageevents.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.app.testing.TestAccount;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** The console spends the API's rate-limit budget of the same credential (3 other calls a minute here). */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(RateLimitTest.Limited.class)
class ConsoleRateLimitTest {

    @Test
    void signInAttemptsAreLimitedPerClientId() {
        TestAccount account = TestAccount.create("console limited sign-in");
        String clientId = account.sequenceClientId();

        for (int i = 0; i < 3; i++) {
            assertThat(ConsoleTest.signInPost("kind", "account", "clientId", clientId, "clientSecret", "wrong")
                    .statusCode()).isEqualTo(401);
        }
        ExtractableResponse<Response> limited = ConsoleTest.signInPost("kind", "account", "clientId", clientId,
                "clientSecret", account.sequenceClientSecret());

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isNotNull();
        assertThat(limited.cookie("usage_console")).isNull();
    }

    @Test
    void pagesAndApiCallsShareOneBudget() {
        TestAccount account = TestAccount.create("console limited pages");
        String session = ConsoleTest.signInPost("kind", "account", "clientId", account.sequenceClientId(),
                "clientSecret", account.sequenceClientSecret()).cookie("usage_console");

        given().cookie("usage_console", session).when().get("/console/events").then().statusCode(200);
        account.sequence().when().get("/api/usage-events").then().statusCode(200);

        given().cookie("usage_console", session).when().get("/console/meters").then().statusCode(429);
    }
}
