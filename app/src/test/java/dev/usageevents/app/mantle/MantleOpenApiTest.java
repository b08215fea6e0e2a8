package dev.usageevents.app.mantle;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OpenAPI document describes the Mantle schema: operations, the seed examples, credentials, errors. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class MantleOpenApiTest {

    @Test
    void documentsTheMantleOperations() {
        JsonPath doc = given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();

        assertThat(doc.getString("paths.'/v1/usage_events'.post.operationId")).isEqualTo("mantleSendUsageEvents");
        assertThat(doc.getString("paths.'/v1/usage_events'.get.operationId")).isEqualTo("mantleListUsageEvents");
        assertThat(doc.getString("paths.'/v1/identify'.post.operationId")).isEqualTo("mantleIdentify");
        assertThat(doc.getList("paths.'/v1/usage_events'.post.tags", String.class)).containsExactly("Mantle");

        String examples = "paths.'/v1/usage_events'.post.requestBody.content.'application/json'.examples";
        assertThat(doc.getMap(examples)).containsOnlyKeys("single", "multiple");
        assertThat(doc.getList(examples + ".multiple.value.events")).hasSize(2);
        assertThat(doc.getMap(examples + ".single.value")).containsEntry("customerId", "string")
                .containsEntry("timestamp", 1709315224000L);

        assertThat(doc.getString("components.securitySchemes.MantleAppId.name")).isEqualTo("X-Mantle-App-Id");
        assertThat(doc.getString("components.securitySchemes.MantleAppApiKey.name")).isEqualTo("X-Mantle-App-Api-Key");
        assertThat(doc.getString("components.securitySchemes.MantleCustomerApiToken.name"))
                .isEqualTo("X-Mantle-Customer-Api-Token");
        assertThat(doc.getString("components.securitySchemes.MantleCustomerApiToken.in")).isEqualTo("header");
        List<Map<String, Object>> security = doc.getList("paths.'/v1/usage_events'.post.security");
        assertThat(security).containsExactlyInAnyOrder(
                Map.of("MantleAppId", List.of(), "MantleAppApiKey", List.of()),
                Map.of("MantleAppId", List.of(), "MantleCustomerApiToken", List.of()));
        assertThat(doc.getList("paths.'/v1/identify'.post.security")).hasSize(1);

        assertThat(doc.getMap("components.schemas.MantleError.properties")).containsOnlyKeys("error", "details");
        for (String status : List.of("400", "401", "403", "413", "422", "429", "503")) {
            assertThat(doc.getString("paths.'/v1/usage_events'.post.responses.'" + status
                    + "'.content.'application/json'.schema.$ref")).as(status).isEqualTo("#/components/schemas/MantleError");
        }
        assertThat(doc.getMap("paths.'/v1/usage_events'.post.responses")).doesNotContainKey("4XX");
    }
}
