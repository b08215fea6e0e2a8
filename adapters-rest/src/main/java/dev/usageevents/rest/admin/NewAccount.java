package dev.usageevents.rest.admin;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /admin/accounts}, as the OpenAPI document describes it ({@link AdminAccountsResource}
 * reads it itself).
 */
@Schema(name = "NewAccount")
public record NewAccount(@Schema(required = true, maxLength = 200, examples = "Acme") String name) {
}
