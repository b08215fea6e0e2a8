package dev.usageevents.app.mantle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.service.CustomerTokens;
import dev.usageevents.persistence.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** With {@code USAGE_TOKEN_SECRET} set, customer tokens are keyed by it (and so survive a new database key). */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(MantleConfiguredTokenSecretTest.ConfiguredSecret.class)
class MantleConfiguredTokenSecretTest {

    static final String SECRET = "configured-token-secret-of-at-least-32-bytes";

    public static class ConfiguredSecret implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("usage.token-secret", SECRET);
        }
    }

    @Test
    void customerTokensAreKeyedByTheConfiguredSecret() {
        MantleApp app = MantleApp.create("Configured secret");

        String token = app.identify("cus_1");

        assertThat(token).isEqualTo(CustomerTokens.withSecret(SECRET)
                .derive(new AccountId(UUID.fromString(app.accountId())), new CustomerId("cus_1"), 0));
        assertThat(app.identify("cus_1", true)).isEqualTo(CustomerTokens.withSecret(SECRET)
                .derive(new AccountId(UUID.fromString(app.accountId())), new CustomerId("cus_1"), 1));
    }
}
