package dev.usageevents.rest.sequence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/** The pieces of the Sequence schema's OpenAPI description that its filters share (events and usage metrics). */
final class SequenceOpenApi {

    static final String SCHEMAS = "#/components/schemas/";
    static final String ERROR = "SequenceError";

    private SequenceOpenApi() {
    }

    /** A Sequence operation: its description, tag, Basic security and the optional {@code Sequence-Version}. */
    static Operation describe(Operation operation, String description) {
        operation.setDescription(description);
        operation.setTags(List.of(SequenceOpenApiFilter.TAG));
        operation.setSecurity(List.of(OASFactory.createSecurityRequirement()
                .addScheme(SequenceOpenApiFilter.SECURITY_SCHEME)));
        operation.addParameter(OASFactory.createParameter().name(SequenceHttpFilters.VERSION_HEADER)
                .in(Parameter.In.HEADER).required(false)
                .description("API version; absent means the latest. Supported: "
                        + String.join(", ", SequenceHttpFilters.SUPPORTED_VERSIONS))
                .schema(string(null).addEnumeration(SequenceHttpFilters.LATEST_VERSION)));
        return operation;
    }

    /** An answer, with the {@code Sequence-Version} header every answer carries. */
    static APIResponse response(String description, Content content) {
        return OASFactory.createAPIResponse().description(description).content(content)
                .addHeader(SequenceHttpFilters.VERSION_HEADER, OASFactory.createHeader()
                        .description("The API version that processed the request").schema(string(null)));
    }

    /** A refusal in Sequence's error shape; {@code example} is JSON text, or null. */
    static APIResponse error(String description, String example) {
        return response(description, json(ref(ERROR), example == null ? null : json(example)));
    }

    static Content json(Schema schema, Object example) {
        return OASFactory.createContent().addMediaType("application/json",
                OASFactory.createMediaType().schema(schema).example(example));
    }

    static Map<String, Object> json(String text) {
        try {
            return new ObjectMapper().readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an example of the Sequence API is not JSON", e);
        }
    }

    static Schema ref(String name) {
        return OASFactory.createSchema().ref(SCHEMAS + name);
    }

    static Schema object(List<String> required) {
        return OASFactory.createSchema().addType(SchemaType.OBJECT).required(required);
    }

    static Schema string(String description) {
        return OASFactory.createSchema().addType(SchemaType.STRING).description(description);
    }

    static Schema nullableString(String description) {
        return string(description).addType(SchemaType.NULL);
    }
}
