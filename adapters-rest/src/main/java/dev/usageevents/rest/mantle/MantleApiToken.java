package dev.usageevents.rest.mantle;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to identify. */
@Schema(name = "MantleApiToken")
record MantleApiToken(@Schema(required = true, description = "The customer's API token, for "
        + MantleAuthenticator.CUSTOMER_TOKEN) String apiToken) {
}
