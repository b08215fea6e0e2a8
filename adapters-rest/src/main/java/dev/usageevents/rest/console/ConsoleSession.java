package dev.usageevents.rest.console;

import dev.usageevents.domain.model.AccountId;
import io.quarkus.qute.TemplateData;
import java.time.Instant;

/**
 * A signed-in console user: the operator (every account, {@code accountId} null) or one account. {@code csrf} is the
 * token every form of this session must send back; {@code throttleKey} is the credential whose rate limit the
 * session's requests spend (the same budget as the APIs).
 */
@TemplateData
record ConsoleSession(String id, String csrf, AccountId accountId, String label, String throttleKey,
        Instant expiresAt) {

    public boolean operator() {
        return accountId == null;
    }
}
