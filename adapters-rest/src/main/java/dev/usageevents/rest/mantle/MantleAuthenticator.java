package dev.usageevents.rest.mantle;

import dev.usageevents.domain.model.Credential.MantleApp;
import dev.usageevents.domain.model.Credential.MantleCustomer;
import dev.usageevents.domain.port.in.AuthenticateCallers;
import dev.usageevents.domain.port.in.AuthenticateCustomers;
import dev.usageevents.domain.port.in.Lookup;
import dev.usageevents.domain.port.in.ThrottleCallers;
import dev.usageevents.domain.port.in.ThrottleCallers.Admission;
import dev.usageevents.domain.port.in.ThrottleCallers.CallKind;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;
import java.util.function.Function;

/**
 * Mantle's credentials: {@code X-Mantle-App-Id} with either the app's API key (the app's server: the whole
 * account) or a customer API token (a browser: one customer of the account). When both are sent, the API key
 * decides.
 */
@Singleton
class MantleAuthenticator {

    static final String APP_ID = "X-Mantle-App-Id";
    static final String API_KEY = "X-Mantle-App-Api-Key";
    static final String CUSTOMER_TOKEN = "X-Mantle-Customer-Api-Token";

    private final AuthenticateCallers apps;
    private final AuthenticateCustomers customers;
    private final ThrottleCallers throttle;

    MantleAuthenticator(AuthenticateCallers apps, AuthenticateCustomers customers, ThrottleCallers throttle) {
        this.apps = apps;
        this.customers = customers;
        this.throttle = throttle;
    }

    /** The app's server or one of its customers, once its rate limit (if any) admits a {@code kind} call. */
    MantleCaller appOrCustomer(HttpHeaders headers, CallKind kind) {
        return admitted(appOrCustomer(headers::getHeaderString), kind);
    }

    /**
     * The 401 a call with these headers gets, if any, without counting it against a rate limit: the app's server
     * or a customer may make it. {@code header} looks a header up by name.
     */
    Optional<MantleApiException> refusal(Function<String, String> header) {
        try {
            appOrCustomer(header);
            return Optional.empty();
        } catch (MantleApiException e) {
            return Optional.of(e);
        }
    }

    /** The app's server only, once its rate limit (if any) admits a call of {@code kind}. */
    MantleCaller app(HttpHeaders headers, CallKind kind) {
        return admitted(app(headers), kind);
    }

    /**
     * The app's server, answered without blocking: present when the app id and API key are valid and their
     * account is known without a query, and its rate limit admits the call; empty when {@link #appOrCustomer}
     * must decide, where blocking is allowed (a customer token, an account not known at once, bad credentials).
     */
    Optional<MantleCaller> appWithoutBlocking(HttpHeaders headers, CallKind kind) {
        return appWithoutBlocking(headers::getHeaderString).map(caller -> admitted(caller, kind));
    }

    /** {@link #appWithoutBlocking(HttpHeaders, CallKind)} without a rate limit; {@code header} looks a header up. */
    Optional<MantleCaller> appWithoutBlocking(Function<String, String> header) {
        String appId = header.apply(APP_ID);
        String apiKey = header.apply(API_KEY);
        if (appId == null || apiKey == null) {
            return Optional.empty();
        }
        return apps.byMantleApiKey(appId, apiKey, Lookup.WITHOUT_BLOCKING)
                .map(account -> new MantleCaller(account, Optional.empty()));
    }

    /** Each credential has its own budget: the app's API key, and each customer's token. */
    private MantleCaller admitted(MantleCaller caller, CallKind kind) {
        String credential = caller.customer()
                .map(customer -> new MantleCustomer(caller.account().mantleAppId(), customer).throttleKey())
                .orElseGet(() -> MantleApp.throttleKey(caller.account()));
        Admission admission = throttle.admit(credential, kind);
        if (!admission.allowed()) {
            throw MantleApiException.rateLimited(admission.retryAfterSeconds());
        }
        return caller;
    }

    private MantleCaller appOrCustomer(Function<String, String> header) {
        String appId = appId(header);
        String apiKey = header.apply(API_KEY);
        if (apiKey != null) {
            return byApiKey(appId, apiKey);
        }
        String token = header.apply(CUSTOMER_TOKEN);
        if (token == null) {
            throw new MantleApiException(401, "Send " + API_KEY + " or " + CUSTOMER_TOKEN);
        }
        return customers.byMantleCustomerToken(appId, token)
                .map(access -> new MantleCaller(access.account(), Optional.of(access.customerId())))
                .orElseThrow(() -> new MantleApiException(401, "Invalid " + APP_ID + " or " + CUSTOMER_TOKEN));
    }

    /** The app's server only: a valid customer token is not enough (403). */
    private MantleCaller app(HttpHeaders headers) {
        String apiKey = headers.getHeaderString(API_KEY);
        if (apiKey == null) {
            if (headers.getHeaderString(CUSTOMER_TOKEN) != null) {
                appOrCustomer(headers::getHeaderString);
                throw new MantleApiException(403, "This call needs the app's " + API_KEY
                        + "; a customer API token cannot make it");
            }
            appId(headers::getHeaderString);
            throw new MantleApiException(401, "Send " + API_KEY);
        }
        return byApiKey(appId(headers::getHeaderString), apiKey);
    }

    private MantleCaller byApiKey(String appId, String apiKey) {
        return apps.byMantleApiKey(appId, apiKey, Lookup.MAY_BLOCK)
                .map(account -> new MantleCaller(account, Optional.empty()))
                .orElseThrow(() -> new MantleApiException(401, "Invalid " + APP_ID + " or " + API_KEY));
    }

    private static String appId(Function<String, String> header) {
        String appId = header.apply(APP_ID);
        if (appId == null || appId.isBlank()) {
            throw new MantleApiException(401, "Send " + APP_ID);
        }
        return appId;
    }
}
