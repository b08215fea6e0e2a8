package dev.usageevents.rest.admin;

import dev.usageevents.domain.model.Account;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An account as the list shows it: its public ids, never a secret. */
@Schema(name = "AccountSummary", description = "An account and its public ids, never a secret")
public record AccountSummary(@Schema(required = true, format = "uuid") String id,
        @Schema(required = true) String name,
        @Schema(required = true, format = "date-time") String createdAt,
        @Schema(required = true, description = "The Sequence client id: {\"clientId\": \"...\"}")
        Map<String, String> sequence,
        @Schema(required = true, description = "The Mantle app id: {\"appId\": \"...\"}")
        Map<String, String> mantle) {

    static AccountSummary of(Account a) {
        return new AccountSummary(a.id().toString(), a.name(), a.createdAt().toString(),
                Map.of("clientId", a.sequenceClientId()), Map.of("appId", a.mantleAppId()));
    }
}
