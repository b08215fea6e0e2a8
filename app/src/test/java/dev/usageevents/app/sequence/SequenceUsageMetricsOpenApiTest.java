package dev.usageevents.app.sequence;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document describes the usage-metrics operations as it does the usage events. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class SequenceUsageMetricsOpenApiTest {

    private static JsonNode document() {
        return SequenceCreateUsageEventTest.tree(given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().asString());
    }

    @Test
    void documentsEveryOperationWithBasicSecurityTheVersionHeaderAndSequencesErrors() {
        JsonNode paths = document().get("paths");
        List<JsonNode> operations = List.of(paths.at("/~1api~1usage-metrics/post"),
                paths.at("/~1api~1usage-metrics/get"), paths.at("/~1api~1usage-metrics~1{id}/get"),
                paths.at("/~1api~1usage-metrics~1{id}/put"), paths.at("/~1api~1usage-metrics~1{id}/delete"),
                paths.at("/~1api~1usage-metrics~1{id}~1calculate/get"),
                paths.at("/~1api~1usage-metrics~1{id}~1usage/get"));

        assertThat(operations).extracting(op -> op.path("operationId").asText()).containsExactly(
                "createUsageMetric", "listUsageMetrics", "getUsageMetric", "updateUsageMetric", "deleteUsageMetric",
                "calculateUsageMetric", "getUsageMetricUsage");
        for (JsonNode op : operations) {
            assertThat(op.get("tags").toString()).isEqualTo("[\"Sequence\"]");
            assertThat(op.get("security").toString()).isEqualTo("[{\"sequenceBasic\":[]}]");
            assertThat(op.get("parameters").findValuesAsText("name")).contains("Sequence-Version");
            assertThat(op.at("/responses/401/content/application~1json/schema/$ref").asText())
                    .isEqualTo("#/components/schemas/SequenceError");
        }
        assertThat(operations.get(0).at("/responses/409/content/application~1json/example/error/type").asText())
                .isEqualTo("Conflict");
        assertThat(operations.get(0).at("/requestBody/content/application~1json/example/aggregationType").asText())
                .isEqualTo("SUM");
        assertThat(operations.get(5).get("parameters").findValuesAsText("name")).contains("customerAliases",
                "periodStart", "periodEnd", "timeZone", "asOf");
        assertThat(operations.get(5).at("/responses/200/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/SequenceUsageMetricCalculation");
        assertThat(operations.get(6).at("/responses/200/content").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("application/json", "text/csv");
        assertThat(operations.get(6).get("description").asText()).startsWith("Extension");
    }
}
