package dev.usageevents.domain.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A tenant of the service, with the public halves of its credentials: the Sequence client id and the Mantle
 * app id. The secrets are never part of an account; the store keeps only their hashes.
 */
public record Account(AccountId id, String name, Instant createdAt, String sequenceClientId, String mantleAppId) {

    public static final int MAX_NAME_LENGTH = 200;

    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(sequenceClientId, "sequenceClientId");
        Objects.requireNonNull(mantleAppId, "mantleAppId");
        validateName(name);
    }

    public static String validateName(String name) {
        if (name == null || name.isBlank()) {
            throw InvalidInputException.of("name", "is required");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw InvalidInputException.of("name", "must be at most " + MAX_NAME_LENGTH + " characters");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw InvalidInputException.of("name", "must not contain control characters");
        }
        return name;
    }
}
