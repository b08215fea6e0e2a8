package dev.usageevents.rest.admin;

import dev.usageevents.domain.model.Account;
import dev.usageevents.domain.port.in.AccountCredentials;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The account with its credentials; the secrets appear in this answer and never again. */
@Schema(name = "CreatedAccount",
        description = "An account with its credentials: the secrets are shown in this answer only")
public record CreatedAccount(@Schema(required = true, format = "uuid") String id,
        @Schema(required = true) String name,
        @Schema(required = true) SequenceCredentials sequence,
        @Schema(required = true) MantleCredentials mantle) {

    static CreatedAccount of(AccountCredentials c) {
        Account a = c.account();
        return new CreatedAccount(a.id().toString(), a.name(),
                new SequenceCredentials(a.sequenceClientId(), c.sequenceClientSecret()),
                new MantleCredentials(a.mantleAppId(), c.mantleApiKey()));
    }
}
