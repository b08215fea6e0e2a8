package dev.usageevents.rest.mantle;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Every refusal of the Mantle schema: a message, and the fields at fault (empty when none is). */
@Schema(name = "MantleError", description = "Error in Mantle's shape")
public record MantleError(
        @Schema(required = true, description = "What is wrong, naming the first field at fault",
                examples = "events[7].eventName is required") String error,
        @Schema(description = "Every field at fault, with its path in the request") List<FieldDetail> details) {

    @Schema(name = "MantleErrorDetail")
    public record FieldDetail(
            @Schema(required = true, examples = "events[7].eventName") String field,
            @Schema(required = true, examples = "is required") String message) {
    }

    static MantleError of(String message) {
        return new MantleError(message, List.of());
    }
}
