package dev.usageevents.rest.mantle;

import dev.usageevents.domain.port.out.StoreUnavailableException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The Mantle schema's error answers, for every Mantle resource: a {@link MantleApiException} anywhere is answered
 * here (a global mapper: this class has no path), and a resource maps the domain's outage with {@link #unavailable}.
 */
public class MantleErrors {

    @ServerExceptionMapper
    Response refused(MantleApiException e) {
        Response.ResponseBuilder response = Response.status(e.status).type(MediaType.APPLICATION_JSON)
                .entity(e.body());
        if (e.retryAfterSeconds > 0) {
            response.header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds);
        }
        return response.build();
    }

    /** 503 with {@code Retry-After}; logged once per outage by the ingest port and counted, not here per call. */
    static Response unavailable(StoreUnavailableException e) {
        return Response.status(503).type(MediaType.APPLICATION_JSON).header(HttpHeaders.RETRY_AFTER, "5")
                .entity(MantleError.of("The store is unavailable; " + e.callerAdvice() + ".")).build();
    }
}
