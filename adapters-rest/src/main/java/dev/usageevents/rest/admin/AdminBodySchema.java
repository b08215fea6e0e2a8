package dev.usageevents.rest.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.usageevents.rest.common.BodySchema;
import dev.usageevents.rest.common.RequestBodies;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code /admin} side of {@link RequestBodies}: the admin token checked before a body is read (it is compared
 * in memory, so never blocks), and the refusals given before it in the admin API's error shape.
 */
@Singleton
class AdminBodySchema implements BodySchema {

    private final AdminGuard guard;
    private final ObjectMapper json;

    AdminBodySchema(AdminGuard guard, ObjectMapper json) {
        this.guard = guard;
        this.json = json;
    }

    @Override
    public String prefix() {
        return "/admin";
    }

    @Override
    public boolean knownCaller(MultiMap headers) {
        return checkCaller(headers).isEmpty();
    }

    @Override
    public Optional<Refusal> checkCaller(MultiMap headers) {
        try {
            guard.check(headers.get(HttpHeaders.AUTHORIZATION));
            return Optional.empty();
        } catch (AdminApiException e) {
            return Optional.of(refusal(e, 0));
        }
    }

    @Override
    public Refusal tooLarge(long limit, long declaredLength) {
        return refusal(new AdminApiException(413, "PayloadTooLarge", "The request body is larger than " + limit
                + " bytes"), 0);
    }

    @Override
    public Refusal unavailable(String message, long retryAfterSeconds) {
        return refusal(new AdminApiException(503, "ServiceUnavailable", message), retryAfterSeconds);
    }

    @Override
    public Refusal malformed(String message) {
        return refusal(new AdminApiException(400, "InvalidRequest", message), 0);
    }

    private Refusal refusal(AdminApiException e, long retryAfterSeconds) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (e.status == 401) {
            headers.put("WWW-Authenticate", AdminGuard.CHALLENGE);
        }
        if (retryAfterSeconds > 0) {
            headers.put(HttpHeaders.RETRY_AFTER.toString(), Long.toString(retryAfterSeconds));
        }
        try {
            return new Refusal(e.status, json.writeValueAsBytes(new AdminError(new AdminError.Detail(e.type,
                    e.getMessage()))), headers);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
