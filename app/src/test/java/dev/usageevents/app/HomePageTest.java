package dev.usageevents.app;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** {@code /} leads to the console, whose pages link what a newcomer looks for; each link answers. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class HomePageTest {

    @Test
    void theHomeIsTheConsoleWhichLinksTheDocumentsAndEachAnswers() {
        given().redirects().follow(false).when().get("/").then().statusCode(303)
                .header("Location", endsWith("/console"));
        given().redirects().follow(true).when().get("/console").then().statusCode(200)
                .body(containsString("href=\"/q/swagger-ui\""), containsString("href=\"/q/openapi?format=json\""),
                        containsString("href=\"/q/health\""), containsString("href=\"/README.md\""));
        for (String link : new String[] {"/q/swagger-ui", "/q/openapi?format=json", "/q/health"}) {
            given().redirects().follow(true).when().get(link).then().statusCode(200);
        }
        given().when().get("/README.md").then().statusCode(200).body(containsString("# usage-events"));
    }
}
