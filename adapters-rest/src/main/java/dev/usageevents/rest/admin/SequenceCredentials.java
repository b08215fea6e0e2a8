package dev.usageevents.rest.admin;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An account's Sequence credentials, as a creation or rotation answers them. */
@Schema(name = "SequenceCredentials", description = "HTTP Basic credentials of the Sequence schema (/api)")
public record SequenceCredentials(@Schema(required = true) String clientId,
        @Schema(required = true) String clientSecret) {
}
