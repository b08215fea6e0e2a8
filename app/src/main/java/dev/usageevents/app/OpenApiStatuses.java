package dev.usageevents.app;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Completes the OpenAPI document after the resources' own descriptions (it runs last): every error status an
 * operation can answer is declared with its API's error schema (a generated client then reads a 429 or a 503
 * as that schema rather than as an unknown answer), Mantle's {@code 4XX} range is spelled out, the admin
 * operations get descriptions, and the Sequence create its {@code Idempotency-Key} header.
 */
@OpenApiFilter(value = OpenApiFilter.RunStage.BUILD, priority = Integer.MIN_VALUE)
public class OpenApiStatuses implements OASFilter {

    private static final String SCHEMAS = "#/components/schemas/";

    /** The statuses each operation can answer besides its success. */
    private static final Map<String, List<String>> ERRORS = Map.of(
            "createUsageEvent", List.of("400", "401", "413", "422", "429", "503"),
            "listUsageEvents", List.of("400", "401", "429", "503"),
            "getUsageEvent", List.of("401", "404", "429", "503"),
            "mantleIdentify", List.of("400", "401", "403", "413", "422", "429", "503"),
            "mantleSendUsageEvents", List.of("400", "401", "403", "413", "422", "429", "503"),
            "mantleListUsageEvents", List.of("400", "401", "403", "422", "429", "503"),
            "createAccount", List.of("400", "401", "413", "503"),
            "listAccounts", List.of("401", "503"),
            "rotateAccountSecrets", List.of("401", "404", "503"));

    private static final Map<String, String> MEANING = Map.of(
            "400", "The request cannot be read: not JSON, a wrong type, or an invalid parameter",
            "401", "Missing or invalid credentials",
            "403", "Credentials that may not do this (e.g. a customer token naming another customer)",
            "404", "No such resource in the caller's account",
            "413", "The body is larger than 5 MiB",
            "422", "Well-formed, but a value breaks a rule",
            "429", "Rate limit reached (USAGE_RATE_LIMIT_*); retry after the Retry-After header's seconds",
            "503", "The database is unavailable (nothing was stored); retry after the Retry-After header's seconds");

    private static final Map<String, String> SEQUENCE_MEANING = Map.of(
            "400", "Not JSON, a wrong type, a missing or invalid field or parameter, an unrecognised "
                    + "Sequence-Version, or an invalid Idempotency-Key",
            "422", "The Idempotency-Key was sent with another body within the last 24 hours");

    private static final Map<String, String> ADMIN_DESCRIPTIONS = Map.of(
            "createAccount", "Creates an account (a tenant) and its credentials for both schemas: a Sequence client "
                    + "id and secret, a Mantle app id and API key. The secrets are shown in this answer only and "
                    + "stored as SHA-256 hashes.",
            "listAccounts", "Every account with its public ids (Sequence client id, Mantle app id); never a secret.",
            "rotateAccountSecrets", "Issues a new Sequence client secret and a new Mantle API key; the old ones "
                    + "stop working at once on this instance and within USAGE_AUTH_CACHE_TTL on the others.");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach(
                (method, operation) -> complete(path, method, operation)));
    }

    private static void complete(String path, PathItem.HttpMethod method, Operation operation) {
        String id = operation.getOperationId();
        List<String> errors = ERRORS.get(id);
        if (errors == null) {
            return;
        }
        if (ADMIN_DESCRIPTIONS.containsKey(id) && operation.getDescription() == null) {
            operation.setDescription(ADMIN_DESCRIPTIONS.get(id));
        }
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        Map<String, APIResponse> declared = new LinkedHashMap<>(responses.getAPIResponses());
        APIResponse range = declared.get("4XX");
        if (range != null) {
            responses.removeAPIResponse("4XX");
        }
        String schema = errorSchema(path);
        for (String status : errors) {
            if (!declared.containsKey(status)) {
                String meaning = path.startsWith("/api/") ? SEQUENCE_MEANING.getOrDefault(status, MEANING.get(status))
                        : MEANING.get(status);
                responses.addAPIResponse(status, error(meaning, schema, status));
            }
        }
        if ("createUsageEvent".equals(id) && method == PathItem.HttpMethod.POST) {
            operation.addParameter(OASFactory.createParameter().name("Idempotency-Key").in(Parameter.In.HEADER)
                    .required(false).description("Makes a retry safe: the same key with the same body within 24 "
                            + "hours answers the first answer (same id) and stores nothing more; per account. 1 to "
                            + "255 printable ASCII characters, e.g. a UUID made once per event.")
                    .schema(OASFactory.createSchema().addType(
                            org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.STRING)
                            .minLength(1).maxLength(255)));
        }
    }

    private static String errorSchema(String path) {
        if (path.startsWith("/api/")) {
            return "SequenceError";
        }
        return path.startsWith("/v1/") ? "MantleError" : "AdminError";
    }

    private static APIResponse error(String description, String schema, String status) {
        APIResponse response = OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType("application/json",
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(SCHEMAS + schema))));
        if ("429".equals(status) || "503".equals(status)) {
            response.addHeader("Retry-After", OASFactory.createHeader().description("Seconds to wait before a retry")
                    .schema(OASFactory.createSchema().addType(
                            org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.INTEGER)));
        }
        return response;
    }
}
