package dev.usageevents.rest.sequence;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The client id and secret of an {@code Authorization: Basic base64(clientId:clientSecret)} header (RFC 7617). */
record BasicCredentials(String clientId, String clientSecret) {

    private static final String SCHEME = "Basic ";

    @Override
    public String toString() {
        return "BasicCredentials[clientId=" + clientId + ", clientSecret=<hidden>]";
    }

    /** Empty when the header is absent, of another scheme, not Base64 of UTF-8, or has no colon. */
    static Optional<BasicCredentials> parse(String authorization) {
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
        return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }
}
