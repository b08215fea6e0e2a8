package dev.usageevents.domain.model;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller presents, typed: every channel reads a credential into one of these, so that the same bytes mean
 * the same caller on REST and gRPC, and each credential has one rate-limit budget, named by {@link #throttleKey()},
 * whichever channel spends it.
 */
public sealed interface Credential {

    /** The name of this credential's rate-limit budget. */
    String throttleKey();

    /**
     * A Sequence client id and secret (REST and gRPC), as HTTP Basic sends them:
     * {@code Basic base64(clientId:clientSecret)} (RFC 7617).
     */
    record SequenceClient(String clientId, String clientSecret) implements Credential {

        private static final String SCHEME = "Basic ";

        public SequenceClient {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(clientSecret, "clientSecret");
        }

        /**
         * The credentials of an {@code Authorization} value; empty when it is absent, of another scheme, not
         * Base64 of UTF-8, or has no colon after a non-empty client id. The same rules for every channel.
         */
        public static Optional<SequenceClient> fromBasic(String authorization) {
            if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
                return Optional.empty();
            }
            String decoded;
            try {
                byte[] bytes = Base64.getDecoder().decode(authorization.substring(SCHEME.length()).trim());
                decoded = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (IllegalArgumentException | CharacterCodingException e) {
                return Optional.empty();
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            return Optional.of(new SequenceClient(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }

        /** The budget of an account's Sequence credentials, known by their client id. */
        public static String throttleKey(Account account) {
            return "sequence:" + account.sequenceClientId();
        }

        @Override
        public String throttleKey() {
            return "sequence:" + clientId;
        }

        @Override
        public String toString() {
            return "SequenceClient[clientId=" + clientId + ", clientSecret=<hidden>]";
        }
    }

    /** A Mantle app's id and API key (the app's server). */
    record MantleApp(String appId, String apiKey) implements Credential {

        public MantleApp {
            Objects.requireNonNull(appId, "appId");
            Objects.requireNonNull(apiKey, "apiKey");
        }

        /** The budget of an account's Mantle app, known by its app id. */
        public static String throttleKey(Account account) {
            return "mantle:" + account.mantleAppId();
        }

        @Override
        public String throttleKey() {
            return "mantle:" + appId;
        }

        @Override
        public String toString() {
            return "MantleApp[appId=" + appId + ", apiKey=<hidden>]";
        }
    }

    /** A Mantle customer's API token, once it has opened its customer: each customer has its own budget. */
    record MantleCustomer(String appId, CustomerId customer) implements Credential {

        public MantleCustomer {
            Objects.requireNonNull(appId, "appId");
            Objects.requireNonNull(customer, "customer");
        }

        @Override
        public String throttleKey() {
            return "mantle:" + appId + "/customer:" + customer.value();
        }
    }
}
