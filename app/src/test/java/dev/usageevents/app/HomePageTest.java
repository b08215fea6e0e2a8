package dev.usageevents.app;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** {@code /} answers a page that links what a newcomer looks for, and each link answers. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class HomePageTest {

    @Test
    void theHomePageLinksTheDocumentsAndEachAnswers() {
        given().when().get("/").then().statusCode(200)
                .contentType(startsWith("text/html"))
                .body(containsString("href=\"q/swagger-ui\""), containsString("href=\"q/openapi?format=json\""),
                        containsString("href=\"q/health\""), containsString("href=\"README.md\""));
        for (String link : new String[] {"/q/swagger-ui", "/q/openapi?format=json", "/q/health"}) {
            given().redirects().follow(true).when().get(link).then().statusCode(200);
        }
        given().when().get("/README.md").then().statusCode(200).body(containsString("# usage-events"));
    }
}
