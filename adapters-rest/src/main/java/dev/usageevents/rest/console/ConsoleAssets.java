package dev.usageevents.rest.console;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The console's one stylesheet and one script, from this jar: no CDN, no build step. */
@Path("/console/assets")
public class ConsoleAssets {

    private static final Map<String, String> TYPES = Map.of(
            "console.css", "text/css; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8");

    @GET
    @Path("/{name}")
    @Operation(hidden = true)
    public Response asset(@PathParam("name") String name) throws IOException {
        String type = TYPES.get(name);
        if (type == null) {
            return Response.status(404).build();
        }
        try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console-assets/" + name)) {
            if (in == null) {
                return Response.status(404).build();
            }
            return Response.ok(in.readAllBytes()).type(type).header("Cache-Control", "max-age=300")
                    .header("X-Content-Type-Options", "nosniff").build();
        }
    }
}
