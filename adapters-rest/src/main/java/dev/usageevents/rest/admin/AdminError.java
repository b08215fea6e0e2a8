package dev.usageevents.rest.admin;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Every refusal of the admin API: {@code {"error":{"type":"...","message":"..."}}}. */
@Schema(name = "AdminError", description = "Error of the admin API")
public record AdminError(@Schema(required = true) Detail error) {

    @Schema(name = "AdminErrorDetail")
    public record Detail(
            @Schema(required = true, description = "InvalidRequest, Unauthorized, NotFound, AdminApiDisabled or ServiceUnavailable")
            String type,
            @Schema(required = true, description = "What is wrong") String message) {
    }
}
