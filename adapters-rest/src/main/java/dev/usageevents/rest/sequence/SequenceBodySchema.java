package dev.usageevents.rest.sequence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.usageevents.domain.port.in.Lookup;
import dev.usageevents.rest.common.BodySchema;
import dev.usageevents.rest.common.RequestBodies;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code /api} side of {@link RequestBodies}: Basic credentials checked before a body is read, and the
 * refusals given before it in Sequence's shape, with the {@code Sequence-Version} header every answer carries.
 */
@Singleton
class SequenceBodySchema implements BodySchema {

    private final SequenceAuthenticator authenticator;
    private final ObjectMapper json;

    SequenceBodySchema(SequenceAuthenticator authenticator, ObjectMapper json) {
        this.authenticator = authenticator;
        this.json = json;
    }

    @Override
    public String prefix() {
        return "/api";
    }

    @Override
    public boolean knownCaller(MultiMap headers) {
        return SequenceHttpFilters.unsupportedVersion(headers.get(SequenceHttpFilters.VERSION_HEADER)).isEmpty()
                && authenticator.account(headers.get(HttpHeaders.AUTHORIZATION), Lookup.WITHOUT_BLOCKING).isPresent();
    }

    /** An unknown {@code Sequence-Version} is refused before anything else, credentials included. */
    @Override
    public Optional<Refusal> checkCaller(MultiMap headers) {
        Optional<SequenceApiException> version = SequenceHttpFilters.unsupportedVersion(
                headers.get(SequenceHttpFilters.VERSION_HEADER));
        if (version.isPresent()) {
            return Optional.of(refusal(version.get(), null));
        }
        String authorization = headers.get(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            return Optional.of(refusal(SequenceApiException.missingCredentials(), headers));
        }
        boolean valid = authenticator.account(authorization, Lookup.MAY_BLOCK).isPresent();
        return valid ? Optional.empty() : Optional.of(refusal(SequenceApiException.invalidCredentials(), headers));
    }

    @Override
    public Refusal tooLarge(long limit, long declaredLength) {
        String message = "must be at most " + limit + " bytes" + (declaredLength < 0 ? "" : " (got " + declaredLength
                + ")");
        return refusal(new SequenceApiException(413, SequenceApiException.PAYLOAD_TOO_LARGE,
                "The request body is too large: it " + message,
                List.of(new SequenceError.FieldMessage(SequenceRequests.BODY, message))), null);
    }

    @Override
    public Refusal unavailable(String message, long retryAfterSeconds) {
        SequenceApiException e = new SequenceApiException(503, SequenceApiException.SERVICE_UNAVAILABLE, message);
        e.retryAfterSeconds = retryAfterSeconds;
        return refusal(e, null);
    }

    @Override
    public Refusal malformed(String message) {
        return refusal(new SequenceApiException(400, SequenceApiException.MALFORMED_JSON, message,
                List.of(new SequenceError.FieldMessage(SequenceRequests.BODY, message))), null);
    }

    private Refusal refusal(SequenceApiException e, MultiMap headers) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(e.body());
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(SequenceHttpFilters.VERSION_HEADER, SequenceHttpFilters.version(
                headers == null ? null : headers.get(SequenceHttpFilters.VERSION_HEADER)));
        if (e.status == 401) {
            extra.put("WWW-Authenticate", SequenceHttpFilters.CHALLENGE);
        }
        if (e.retryAfterSeconds > 0) {
            extra.put(HttpHeaders.RETRY_AFTER.toString(), Long.toString(e.retryAfterSeconds));
        }
        return new Refusal(e.status, body, extra);
    }
}
