package dev.usageevents.rest.console;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The service's home is its console, whose every page links the API documents, health and the README. */
@Path("/")
public class HomeRedirect {

    @GET
    @Operation(hidden = true)
    public Response home() {
        return Response.seeOther(URI.create("/console")).build();
    }
}
