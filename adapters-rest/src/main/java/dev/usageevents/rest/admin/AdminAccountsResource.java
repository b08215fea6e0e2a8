package dev.usageevents.rest.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.port.in.ManageAccounts;
import dev.usageevents.domain.port.out.StoreUnavailableException;
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
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Accounts and their credentials, for the operator holding {@code USAGE_ADMIN_TOKEN}. */
@Path("/admin/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin", description = "Accounts and credentials (Authorization: Bearer USAGE_ADMIN_TOKEN)")
@SecurityScheme(securitySchemeName = AdminAccountsResource.SECURITY_SCHEME, type = SecuritySchemeType.HTTP,
        scheme = "bearer", description = "Authorization: Bearer <USAGE_ADMIN_TOKEN>, the operator's token")
@SecurityRequirement(name = AdminAccountsResource.SECURITY_SCHEME)
@APIResponse(responseCode = "401", description = "Missing or wrong admin token",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AdminError.class)))
@APIResponse(responseCode = "503", description = "The admin API is disabled: USAGE_ADMIN_TOKEN is not set",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AdminError.class)))
public class AdminAccountsResource {

    static final String SECURITY_SCHEME = "adminBearer";

    private final ManageAccounts accounts;
    private final AdminGuard guard;
    private final ObjectMapper json;

    AdminAccountsResource(ManageAccounts accounts, AdminGuard guard, ObjectMapper json) {
        this.accounts = accounts;
        this.guard = guard;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "createAccount", summary = "Create an account with Sequence and Mantle credentials")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = NewAccount.class),
            examples = @ExampleObject(name = "acme", value = "{\"name\": \"Acme\"}")))
    @APIResponse(responseCode = "201", description = "Created; the secrets are never shown again",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CreatedAccount.class)))
    @APIResponse(responseCode = "400", description = "Not a JSON object, or name missing, blank or over 200 "
            + "characters", content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AdminError.class)))
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        guard.check(authorization);
        String name = nameOf(body);
        CreatedAccount created = CreatedAccount.of(accounts.create(name));
        return Response.created(URI.create("/admin/accounts/" + created.id())).entity(created).build();
    }

    @GET
    @Operation(operationId = "listAccounts", summary = "List accounts (public ids only, never secrets)")
    @APIResponse(responseCode = "200", description = "Every account",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AccountList.class)))
    public AccountList list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        guard.check(authorization);
        return new AccountList(accounts.list().stream().map(AccountSummary::of).toList());
    }

    @POST
    @Path("/{id}/rotate-secrets")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "rotateAccountSecrets",
            summary = "Replace the Sequence client secret and the Mantle API key; the old ones stop working")
    @APIResponse(responseCode = "200", description = "The account with its new secrets",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CreatedAccount.class)))
    @APIResponse(responseCode = "404", description = "No such account",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AdminError.class)))
    public CreatedAccount rotate(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(description = "The account id") @PathParam("id") String id) {
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
                .entity(new AdminError(new AdminError.Detail(e.type, e.getMessage())));
        if (e.status == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, AdminGuard.CHALLENGE);
        }
        return response.build();
    }

    @ServerExceptionMapper
    Response invalid(InvalidInputException e) {
        return refused(new AdminApiException(400, "InvalidRequest", e.first().toString()));
    }

    /** The accounts cannot be read or written now: the admin's own shape, with {@code Retry-After}, not a 500. */
    @ServerExceptionMapper
    Response unavailable(StoreUnavailableException e) {
        return Response.fromResponse(refused(new AdminApiException(503, "ServiceUnavailable",
                "The account store is unavailable; " + e.callerAdvice() + "."))).header(HttpHeaders.RETRY_AFTER, "5")
                .build();
    }
}
