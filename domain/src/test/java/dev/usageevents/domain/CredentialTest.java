package dev.usageevents.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.model.Credential.MantleApp;
import dev.usageevents.domain.model.Credential.MantleCustomer;
import dev.usageevents.domain.model.Credential.SequenceClient;
import dev.usageevents.domain.model.CustomerId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The one reading of HTTP Basic that REST and gRPC share, and the budgets' names. */
class CredentialTest {

    @Test
    void readsHttpBasicCredentials() {
        assertThat(SequenceClient.fromBasic("Basic " + base64("sqc_id:sqs_secret:with-colon")))
                .contains(new SequenceClient("sqc_id", "sqs_secret:with-colon"));
        assertThat(SequenceClient.fromBasic("basic  " + base64("id:") + " ")).contains(new SequenceClient("id", ""));
    }

    @Test
    void anythingElseIsNoCredentials() {
        assertThat(SequenceClient.fromBasic(null)).isEmpty();
        assertThat(SequenceClient.fromBasic("Bearer " + base64("id:secret"))).isEmpty();
        assertThat(SequenceClient.fromBasic("Basic not base64!")).isEmpty();
        assertThat(SequenceClient.fromBasic("Basic " + base64("no-colon"))).isEmpty();
        assertThat(SequenceClient.fromBasic("Basic " + base64(":secret"))).as("an empty client id").isEmpty();
        assertThat(SequenceClient.fromBasic("Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xC3,
                ':', 's'}))).as("not UTF-8").isEmpty();
    }

    @Test
    void eachCredentialHasItsOwnBudgetAndNeverPrintsItsSecret() {
        assertThat(new SequenceClient("sqc_1", "sqs_secret").throttleKey()).isEqualTo("sequence:sqc_1");
        assertThat(new MantleApp("app_1", "mak_key").throttleKey()).isEqualTo("mantle:app_1");
        assertThat(new MantleCustomer("app_1", new CustomerId("acme")).throttleKey())
                .isEqualTo("mantle:app_1/customer:acme");
        assertThat(new SequenceClient("sqc_1", "sqs_secret").toString()).doesNotContain("sqs_secret");
        assertThat(new MantleApp("app_1", "mak_key").toString()).doesNotContain("mak_key");
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
