package dev.usageevents.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.grpc.SequenceCredentialsInterceptor.BasicCredentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SequenceCredentialsInterceptorTest {

    @Test
    void readsHttpBasicCredentials() {
        assertThat(SequenceCredentialsInterceptor.basicCredentials("Basic " + base64("sqc_id:sqs_secret:with-colon")))
                .contains(new BasicCredentials("sqc_id", "sqs_secret:with-colon"));
        assertThat(SequenceCredentialsInterceptor.basicCredentials("basic " + base64("id:")))
                .contains(new BasicCredentials("id", ""));
    }

    @Test
    void anythingElseIsNoCredentials() {
        assertThat(SequenceCredentialsInterceptor.basicCredentials(null)).isEmpty();
        assertThat(SequenceCredentialsInterceptor.basicCredentials("Bearer abc")).isEmpty();
        assertThat(SequenceCredentialsInterceptor.basicCredentials("Basic !!!")).isEmpty();
        assertThat(SequenceCredentialsInterceptor.basicCredentials("Basic " + base64("no-colon"))).isEmpty();
    }

    @Test
    void neverPrintsTheSecret() {
        assertThat(new BasicCredentials("id", "sqs_secret").toString()).doesNotContain("sqs_secret");
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
