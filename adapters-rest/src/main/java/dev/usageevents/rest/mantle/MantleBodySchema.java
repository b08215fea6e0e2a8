package dev.usageevents.rest.mantle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.usageevents.rest.common.BodySchema;
import dev.usageevents.rest.common.RequestBodies;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code /v1} side of {@link RequestBodies}: the app id with its API key or a customer token checked before a
 * body is read, and the refusals given before it in Mantle's error shape. The route comes after the CORS filter,
 * so browsers can read these answers.
 */
@Singleton
class MantleBodySchema implements BodySchema {

    private final MantleAuthenticator authenticator;
    private final ObjectMapper json;

    MantleBodySchema(MantleAuthenticator authenticator, ObjectMapper json) {
        this.authenticator = authenticator;
        this.json = json;
    }

    @Override
    public String prefix() {
        return "/v1";
    }

    @Override
    public boolean knownCaller(MultiMap headers) {
        return authenticator.appWithoutBlocking(headers::get).isPresent();
    }

    @Override
    public Optional<Refusal> checkCaller(MultiMap headers) {
        return authenticator.refusal(headers::get).map(this::refusal);
    }

    @Override
    public Refusal tooLarge(long limit, long declaredLength) {
        return refusal(new MantleApiException(413, "The request body is larger than " + limit
                + " bytes; send fewer events per request"));
    }

    @Override
    public Refusal unavailable(String message, long retryAfterSeconds) {
        MantleApiException e = new MantleApiException(503, message);
        e.retryAfterSeconds = retryAfterSeconds;
        return refusal(e);
    }

    @Override
    public Refusal malformed(String message) {
        return refusal(new MantleApiException(400, message));
    }

    private Refusal refusal(MantleApiException e) {
        try {
            return new Refusal(e.status, json.writeValueAsBytes(e.body()), e.retryAfterSeconds > 0
                    ? Map.of(HttpHeaders.RETRY_AFTER.toString(), Long.toString(e.retryAfterSeconds)) : Map.of());
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
