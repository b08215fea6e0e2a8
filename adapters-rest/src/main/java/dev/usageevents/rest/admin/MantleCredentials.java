package dev.usageevents.rest.admin;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An account's Mantle credentials, as a creation or rotation answers them. */
@Schema(name = "MantleCredentials",
        description = "Credentials of the Mantle schema (/v1): X-Mantle-App-Id and X-Mantle-App-Api-Key")
public record MantleCredentials(@Schema(required = true) String appId, @Schema(required = true) String apiKey) {
}
