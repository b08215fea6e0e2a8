package dev.usageevents.rest.mantle;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Every refusal of the Mantle schema: a message, and the fields at fault (empty when none is). */
@Schema(name = "MantleError", description = "Error in Mantle's shape")
public record MantleError(
        @Schema(description = "What is wrong, naming the first field at fault",
                examples = "events[7].eventName is required") String error,
        @Schema(description = "Every field at fault, with its path in the request") List<FieldDetail> details) {

    public record FieldDetail(
            @Schema(examples = "events[7].eventName") String field,
            @Schema(examples = "is required") String message) {
    }

    static MantleError of(String message) {
        return new MantleError(message, List.of());
    }
}
