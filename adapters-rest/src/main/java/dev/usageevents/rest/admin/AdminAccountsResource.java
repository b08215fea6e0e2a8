package dev.usageevents.rest.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.usageevents.domain.model.Account;
import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.port.in.AccountCredentials;
import dev.usageevents.domain.port.in.ManageAccounts;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Accounts and their credentials, for the operator holding {@code USAGE_ADMIN_TOKEN}. */
@Path("/admin/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin", description = "Accounts and credentials (Authorization: Bearer USAGE_ADMIN_TOKEN)")
public class AdminAccountsResource {

    private final ManageAccounts accounts;
    private final AdminGuard guard;
    private final ObjectMapper json;

    AdminAccountsResource(ManageAccounts accounts, AdminGuard guard, ObjectMapper json) {
        this.accounts = accounts;
        this.guard = guard;
        this.json = json;
    }

    /** The account with its credentials; the secrets appear in this answer and never again. */
    public record CreatedAccount(String id, String name, SequenceCredentials sequence, MantleCredentials mantle) {
        static CreatedAccount of(AccountCredentials c) {
            Account a = c.account();
            return new CreatedAccount(a.id().toString(), a.name(),
                    new SequenceCredentials(a.sequenceClientId(), c.sequenceClientSecret()),
                    new MantleCredentials(a.mantleAppId(), c.mantleApiKey()));
        }
    }

    public record SequenceCredentials(String clientId, String clientSecret) {
    }

    public record MantleCredentials(String appId, String apiKey) {
    }

    public record AccountSummary(String id, String name, String createdAt, Map<String, String> sequence,
            Map<String, String> mantle) {
        static AccountSummary of(Account a) {
            return new AccountSummary(a.id().toString(), a.name(), a.createdAt().toString(),
                    Map.of("clientId", a.sequenceClientId()), Map.of("appId", a.mantleAppId()));
        }
    }

    public record AccountList(List<AccountSummary> items) {
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "createAccount", summary = "Create an account with Sequence and Mantle credentials")
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        guard.check(authorization);
        String name = nameOf(body);
        CreatedAccount created = CreatedAccount.of(accounts.create(name));
        return Response.created(URI.create("/admin/accounts/" + created.id())).entity(created).build();
    }

    @GET
    @Operation(operationId = "listAccounts", summary = "List accounts (public ids only, never secrets)")
    public AccountList list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        guard.check(authorization);
        return new AccountList(accounts.list().stream().map(AccountSummary::of).toList());
    }

    @POST
    @Path("/{id}/rotate-secrets")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "rotateAccountSecrets",
            summary = "Replace the Sequence client secret and the Mantle API key; the old ones stop working")
    public CreatedAccount rotate(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("id") String id) {
        guard.check(authorization);
        AccountId accountId;
        try {
            accountId = new AccountId(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            throw new AdminApiException(404, "NotFound", "No account " + id);
        }
        return accounts.rotateSecrets(accountId).map(CreatedAccount::of)
                .orElseThrow(() -> new AdminApiException(404, "NotFound", "No account " + id));
    }

    private String nameOf(byte[] body) {
        JsonNode node;
        try {
            node = body == null || body.length == 0 ? null : json.readTree(body);
        } catch (IOException e) {
            throw new AdminApiException(400, "InvalidRequest", "The body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new AdminApiException(400, "InvalidRequest", "The body must be a JSON object: {\"name\": \"...\"}");
        }
        JsonNode name = node.get("name");
        if (name == null || name.isNull()) {
            throw new AdminApiException(400, "InvalidRequest", "name is required");
        }
        if (!name.isTextual()) {
            throw new AdminApiException(400, "InvalidRequest", "name must be a string");
        }
        return name.asText();
    }

    @ServerExceptionMapper
    Response refused(AdminApiException e) {
        Response.ResponseBuilder response = Response.status(e.status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", Map.of("type", e.type, "message", e.getMessage())));
        if (e.status == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"usage-events admin\"");
        }
        return response.build();
    }

    @ServerExceptionMapper
    Response invalid(InvalidInputException e) {
        return refused(new AdminApiException(400, "InvalidRequest", e.first().toString()));
    }
}
