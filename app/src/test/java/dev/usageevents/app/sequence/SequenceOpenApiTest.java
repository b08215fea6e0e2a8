package dev.usageevents.app.sequence;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class SequenceOpenApiTest {

    private static JsonNode document() {
        return SequenceCreateUsageEventTest.tree(given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().asString());
    }

    @Test
    void documentsTheThreeOperationsUnderOneTagWithBasicSecurity() {
        JsonNode doc = document();
        JsonNode paths = doc.get("paths");
        List<JsonNode> operations = List.of(paths.at("/~1api~1usage-events/post"),
                paths.at("/~1api~1usage-events/get"), paths.at("/~1api~1usage-events~1{id}/get"));

        assertThat(operations).extracting(op -> op.get("operationId").asText())
                .containsExactly("createUsageEvent", "listUsageEvents", "getUsageEvent");
        for (JsonNode op : operations) {
            assertThat(op.get("tags").toString()).isEqualTo("[\"Sequence\"]");
            assertThat(op.get("security").toString()).isEqualTo("[{\"sequenceBasic\":[]}]");
            assertThat(op.get("parameters").findValuesAsText("name")).contains("Sequence-Version");
            assertThat(op.at("/responses/401/content/application~1json/schema/$ref").asText())
                    .isEqualTo("#/components/schemas/SequenceError");
        }
        assertThat(doc.at("/components/securitySchemes/sequenceBasic/type").asText()).isEqualTo("http");
        assertThat(doc.at("/components/securitySchemes/sequenceBasic/scheme").asText()).isEqualTo("basic");
        assertThat(doc.at("/components/schemas/SequenceError/properties/error/$ref").asText())
                .isEqualTo("#/components/schemas/SequenceErrorDetail");
        assertThat(doc.at("/components/schemas/SequenceErrorDetail/required").toString())
                .isEqualTo("[\"type\",\"message\"]");
        assertThat(operations.get(1).get("parameters").findValuesAsText("name")).contains("customerAlias",
                "eventType", "eventId", "eventTimestampAfter", "eventTimestampBefore", "sortOrder", "limit", "after",
                "before");
    }

    @Test
    void usesTheVendorsExampleForTheRequestAndTheResponse() {
        JsonNode create = document().at("/paths/~1api~1usage-events/post");

        assertThat(create.at("/requestBody/content/application~1json/example")).isEqualTo(
                SequenceCreateUsageEventTest.tree(SequenceTestClient.resource(SequenceTestClient.SEED_REQUEST)));
        assertThat(create.at("/responses/201/content/application~1json/example")).isEqualTo(
                SequenceCreateUsageEventTest.tree(SequenceTestClient.resource(SequenceTestClient.SEED_RESPONSE)));
        assertThat(create.at("/requestBody/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/SequenceNewUsageEvent");
    }
}
