package dev.usageevents.app.faults;

import java.util.UUID;

/** An account created through the admin API, with the credentials of both schemas. */
record Account(UUID id, String sequenceClientId, String sequenceClientSecret, String mantleAppId,
        String mantleApiKey) {
}
