package dev.usageevents.rest.admin;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer of {@code GET /admin/accounts}. */
@Schema(name = "AccountList")
public record AccountList(@Schema(required = true) List<AccountSummary> items) {
}
