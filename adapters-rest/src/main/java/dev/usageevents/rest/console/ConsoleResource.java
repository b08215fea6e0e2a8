package dev.usageevents.rest.console;

import dev.usageevents.domain.model.Credential.SequenceClient;
import dev.usageevents.domain.model.Account;
import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.port.in.AccountCredentials;
import dev.usageevents.domain.port.in.AuthenticateCallers;
import dev.usageevents.domain.port.in.Lookup;
import dev.usageevents.domain.port.in.ManageAccounts;
import dev.usageevents.rest.admin.AdminGuard;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's front door and the operator's accounts page: sign-in (admin token, or an account's Sequence client
 * id and secret), sign-out, list, create and rotate accounts. The secrets appear on the page that answers a
 * creation or rotation and on no other.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleResource {

    /** The pre-session cookie holding the sign-in form's CSRF token (double submit: cookie and hidden field). */
    static final String SIGN_IN_COOKIE = "usage_console_signin";

    private final ConsoleSessions sessions;
    private final ConsoleGuard guard;
    private final ConsolePages pages;
    private final AuthenticateCallers callers;
    private final ManageAccounts accounts;
    private final AdminGuard admin;

    ConsoleResource(ConsoleSessions sessions, ConsoleGuard guard, ConsolePages pages, AuthenticateCallers callers,
            ManageAccounts accounts, AdminGuard admin) {
        this.sessions = sessions;
        this.guard = guard;
        this.pages = pages;
        this.callers = callers;
        this.accounts = accounts;
        this.admin = admin;
    }

    @GET
    @Operation(hidden = true)
    public Response home(HttpHeaders headers) {
        return sessions.find(ConsoleGuard.cookie(headers))
                .map(s -> ConsolePages.redirect(s.operator() ? "/console/accounts" : "/console/events"))
                .orElseGet(() -> ConsolePages.redirect("/console/sign-in"));
    }

    @GET
    @Path("/sign-in")
    @Operation(hidden = true)
    public Response signInPage(UriInfo uri) {
        return signInForm(uri, 200, null);
    }

    private Response signInForm(UriInfo uri, int status, String error) {
        String csrf = sessions.token();
        Response page = ConsolePages.html(status, pages.page("sign-in.html", null, null, null)
                .data("csrf", csrf).data("error", error));
        return Response.fromResponse(page)
                .header("Set-Cookie", cookie(tls(uri), SIGN_IN_COOKIE, csrf, "/console/sign-in", -1)).build();
    }

    @POST
    @Path("/sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response signIn(UriInfo uri, HttpHeaders headers, @FormParam("csrf") String csrf,
            @FormParam("kind") String kind, @FormParam("token") String token,
            @FormParam("clientId") String clientId, @FormParam("clientSecret") String clientSecret) {
        jakarta.ws.rs.core.Cookie expected = headers.getCookies().get(SIGN_IN_COOKIE);
        if (expected == null || csrf == null || !MessageDigest.isEqual(expected.getValue().getBytes(
                StandardCharsets.UTF_8), csrf.getBytes(StandardCharsets.UTF_8))) {
            throw new ConsoleException(403, "The sign-in form was refused: it did not carry its CSRF token. "
                    + "Reload the sign-in page and try again.");
        }
        ConsoleSession session;
        if ("operator".equals(kind)) {
            guard.admit("console-operator");
            if (!admin.enabled()) {
                return signInForm(uri, 401, "Operator sign-in is off: the service was started without "
                        + "USAGE_ADMIN_TOKEN.");
            }
            if (token == null || !admin.accepts(token.trim())) {
                return signInForm(uri, 401, "Wrong admin token.");
            }
            session = sessions.open(null, "Operator", "console-operator");
        } else {
            SequenceClient presented = new SequenceClient(clientId == null ? "" : clientId.trim(),
                    clientSecret == null ? "" : clientSecret.trim());
            guard.admit(presented.throttleKey());
            Optional<Account> account = presented.clientId().isEmpty() || clientSecret == null ? Optional.empty()
                    : callers.bySequenceCredentials(presented.clientId(), presented.clientSecret(),
                            Lookup.MAY_BLOCK);
            if (account.isEmpty()) {
                return signInForm(uri, 401, "Wrong client id or client secret.");
            }
            Account a = account.get();
            session = sessions.open(a.id(), a.name(), SequenceClient.throttleKey(a));
        }
        return Response.fromResponse(ConsolePages.redirect(session.operator() ? "/console/accounts"
                        : "/console/events"))
                .header("Set-Cookie", cookie(tls(uri), ConsoleGuard.COOKIE, session.id(), "/console", -1))
                .header("Set-Cookie", cookie(tls(uri), SIGN_IN_COOKIE, "", "/console/sign-in", 0)).build();
    }

    @POST
    @Path("/sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response signOut(UriInfo uri, HttpHeaders headers, @FormParam("csrf") String csrf) {
        ConsoleSession session = guard.post(headers, csrf);
        sessions.close(session.id());
        return Response.fromResponse(ConsolePages.redirect("/console/sign-in"))
                .header("Set-Cookie", cookie(tls(uri), ConsoleGuard.COOKIE, "", "/console", 0)).build();
    }

    @GET
    @Path("/accounts")
    @Operation(hidden = true)
    public Response accountsPage(HttpHeaders headers) {
        ConsoleSession session = guard.operator(guard.view(headers));
        return ConsolePages.ok(accountList(session, null));
    }

    @GET
    @Path("/health")
    @Operation(hidden = true)
    public Response health(HttpHeaders headers) {
        ConsoleSession session = guard.view(headers);
        return ConsolePages.ok(pages.page("health.html", session,
                session.operator() ? null : session.accountId().toString(), "health"));
    }

    private io.quarkus.qute.TemplateInstance accountList(ConsoleSession session, String error) {
        return pages.page("accounts.html", session, null, "accounts").data("error", error)
                .data("accounts", accounts.list().stream()
                        .sorted(Comparator.comparing(Account::createdAt).reversed()).toList());
    }

    @POST
    @Path("/accounts")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response create(HttpHeaders headers, @FormParam("csrf") String csrf, @FormParam("name") String name) {
        ConsoleSession session = guard.operator(guard.post(headers, csrf));
        AccountCredentials created;
        try {
            created = accounts.create(name == null ? "" : name);
        } catch (InvalidInputException e) {
            return ConsolePages.html(400, accountList(session, e.first().toString()));
        }
        return ConsolePages.ok(credentials(session, "Account created", created));
    }

    @POST
    @Path("/accounts/{id}/rotate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response rotate(HttpHeaders headers, @FormParam("csrf") String csrf, @PathParam("id") String id) {
        ConsoleSession session = guard.operator(guard.post(headers, csrf));
        AccountId accountId;
        try {
            accountId = new AccountId(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            throw ConsoleException.notFound();
        }
        AccountCredentials rotated = accounts.rotateSecrets(accountId).orElseThrow(ConsoleException::notFound);
        sessions.closeAll(accountId);
        return ConsolePages.ok(credentials(session, "Secrets rotated", rotated));
    }

    private io.quarkus.qute.TemplateInstance credentials(ConsoleSession session, String heading,
            AccountCredentials c) {
        return pages.page("credentials.html", session, null, "accounts").data("heading", heading)
                .data("account", c.account()).data("sequenceSecret", c.sequenceClientSecret())
                .data("mantleKey", c.mantleApiKey());
    }

    /** A cookie only for /console, never readable by scripts or sent from another site; Secure over TLS. */
    static String cookie(boolean tls, String name, String value, String path, int maxAge) {
        StringBuilder cookie = new StringBuilder(name).append('=').append(value).append("; Path=").append(path)
                .append("; HttpOnly; SameSite=Strict");
        if (maxAge >= 0) {
            cookie.append("; Max-Age=").append(maxAge);
        }
        if (tls) {
            cookie.append("; Secure");
        }
        return cookie.toString();
    }

    /** Whether the request came over TLS (behind a proxy: when the proxy's headers are trusted, see the README). */
    static boolean tls(UriInfo uri) {
        return "https".equalsIgnoreCase(uri.getRequestUri().getScheme());
    }
}
