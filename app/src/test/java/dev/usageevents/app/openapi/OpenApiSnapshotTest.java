package dev.usageevents.app.openapi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document the service serves is the committed snapshot, from which the build generates the client of
 * {@link OpenApiClientTest}: a change of the document is either intended, and committed with its snapshot, or a
 * mistake this test catches. After an intended change, rewrite the snapshot and review its diff:
 *
 * <pre>
 * ./mvnw -pl app -am test -Dtest=OpenApiSnapshotTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dopenapi.snapshot.update=true
 * </pre>
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class OpenApiSnapshotTest {

    static final Path SNAPSHOT = Path.of("src", "test", "resources", "openapi", "openapi.json");
    static final String UPDATE_PROPERTY = "openapi.snapshot.update";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theServedDocumentIsTheCommittedSnapshot() throws IOException {
        String served = given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().asString();
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.writeString(SNAPSHOT, served, StandardCharsets.UTF_8);
        }
        JsonNode expected = JSON.readTree(Files.readString(SNAPSHOT, StandardCharsets.UTF_8));
        JsonNode actual = JSON.readTree(served);

        assertThat(differences("", expected, actual))
                .as("the served OpenAPI document differs from %s at these places; if the change is intended, "
                        + "regenerate the snapshot with -D%s=true (see this test's documentation)", SNAPSHOT,
                        UPDATE_PROPERTY)
                .isEmpty();
    }

    @Test
    void theSnapshotDescribesEveryOperationWithItsSecurityAndErrors() throws IOException {
        JsonNode doc = JSON.readTree(Files.readString(SNAPSHOT, StandardCharsets.UTF_8));
        Map<String, String> errorSchemas = Map.of("/admin", "AdminError", "/api", "SequenceError",
                "/v1", "MantleError");
        List<String> operations = new ArrayList<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            JsonNode operation = method.getValue();
            String name = method.getKey().toUpperCase() + " " + path.getKey();
            operations.add(operation.get("operationId").asText());
            assertThat(operation.get("tags")).as(name).hasSize(1);
            assertThat(operation.get("summary").asText()).as(name).isNotBlank();
            assertThat(operation.get("security")).as(name).isNotEmpty();
            String errorSchema = errorSchemas.get(path.getKey().substring(0, path.getKey().indexOf('/', 1)));
            List<String> errors = new ArrayList<>();
            operation.get("responses").fields().forEachRemaining(response -> {
                JsonNode schema = response.getValue().at("/content/application~1json/schema");
                assertThat(schema.isMissingNode()).as(name + " " + response.getKey() + " has a JSON schema").isFalse();
                if (response.getKey().startsWith("4")) {
                    errors.add(schema.get("$ref").asText());
                }
            });
            assertThat(errors).as(name + " error responses").isNotEmpty()
                    .containsOnly("#/components/schemas/" + errorSchema);
        }));
        assertThat(operations).containsExactlyInAnyOrder("createAccount", "listAccounts", "rotateAccountSecrets",
                "createUsageEvent", "listUsageEvents", "getUsageEvent", "mantleIdentify", "mantleSendUsageEvents",
                "mantleListUsageEvents", "createUsageMetric", "listUsageMetrics", "getUsageMetric",
                "updateUsageMetric", "deleteUsageMetric", "calculateUsageMetric", "getUsageMetricUsage",
                "mantleUsageMetricReport", "mantleUsageEventsReport", "mantleGetCustomer");
        assertThat(doc.at("/components/securitySchemes/adminBearer/scheme").asText()).isEqualTo("bearer");
        assertThat(doc.at("/paths/~1admin~1accounts/post/requestBody/content/application~1json/schema/$ref")
                .asText()).isEqualTo("#/components/schemas/NewAccount");
        assertThat(doc.at("/paths/~1v1~1usage_events/post/requestBody/content/application~1json/schema/$ref")
                .asText()).isEqualTo("#/components/schemas/MantleUsageEventsRequest");
        assertThat(doc.at("/paths/~1v1~1identify/post/requestBody/content/application~1json/schema/$ref")
                .asText()).isEqualTo("#/components/schemas/MantleIdentifyRequest");
    }

    /** JSON pointers where the two documents differ, at most 20. */
    private static List<String> differences(String at, JsonNode expected, JsonNode actual) {
        List<String> found = new ArrayList<>();
        collect(at, expected, actual, found);
        return found.size() <= 20 ? found : found.subList(0, 20);
    }

    private static void collect(String at, JsonNode expected, JsonNode actual, List<String> found) {
        if (expected == null || actual == null) {
            found.add(at + (expected == null ? " (only served)" : " (only in the snapshot)"));
        } else if (expected.isObject() && actual.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                collect(at + "/" + name.replace("~", "~0").replace("/", "~1"), expected.get(name), actual.get(name),
                        found);
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            Iterator<JsonNode> e = expected.elements();
            Iterator<JsonNode> a = actual.elements();
            for (int i = 0; e.hasNext(); i++) {
                collect(at + "/" + i, e.next(), a.next(), found);
            }
        } else if (!expected.equals(actual)) {
            found.add(at + ": " + abbreviate(expected) + " became " + abbreviate(actual));
        }
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
