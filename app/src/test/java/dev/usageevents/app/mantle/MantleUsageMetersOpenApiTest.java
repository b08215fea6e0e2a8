package dev.usageevents.app.mantle;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document describes Mantle's usage reads with their examples and Mantle's error. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class MantleUsageMetersOpenApiTest {

    @Test
    void documentsTheReportsAndTheCustomer() {
        JsonPath doc = given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();

        for (String path : List.of("'/v1/usage_metrics/{idOrName}/report'", "'/v1/usage_events/{idOrName}/report'",
                "'/v1/customer'")) {
            assertThat(doc.getList("paths." + path + ".get.tags", String.class)).containsExactly("Mantle");
            assertThat(doc.getList("paths." + path + ".get.security")).hasSize(2);
            assertThat(doc.getString("paths." + path + ".get.responses.'4XX'.content.'application/json'"
                    + ".schema.$ref")).isEqualTo("#/components/schemas/MantleError");
        }
        String report = "paths.'/v1/usage_metrics/{idOrName}/report'.get.responses.'200'.content.'application/json'";
        assertThat(doc.getString(report + ".schema.$ref")).isEqualTo("#/components/schemas/MantleUsageReportResponse");
        assertThat(doc.getMap(report + ".examples.daily.value")).containsOnlyKeys("usageReport", "report");
        assertThat(doc.getString("paths.'/v1/customer'.get.responses.'200'.content.'application/json'.examples"
                + ".customer.value.customer.usage.'api-calls'.currentValue")).isEqualTo("120");
        assertThat(doc.getMap("components.schemas.MantleCustomerMeterUsage.properties")).containsKeys("id", "name",
                "eventName", "currentValue", "monthToDateValue", "last24HoursValue", "last7DaysValue",
                "last30DaysValue", "last90DaysValue", "last365DaysValue", "allTimeValue");
    }
}
