package dev.usageevents.rest.sequence;

import dev.usageevents.domain.port.out.StoreUnavailableException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The Sequence schema's error answers, for every Sequence resource: a {@link SequenceApiException} anywhere is
 * answered here (a global mapper: this class has no path), and a resource maps the domain's refusals with
 * {@link #unavailable}. The body and headers of one refusal are {@link SequenceHttpFilters#refuse}'s.
 */
public class SequenceErrors {

    private static final Logger LOG = Logger.getLogger(SequenceErrors.class);

    @ServerExceptionMapper
    Response refused(SequenceApiException e) {
        return refuse(e);
    }

    static Response refuse(SequenceApiException e) {
        return SequenceHttpFilters.refuse(e);
    }

    /** 503 with {@code Retry-After}; logged once per outage by the ingest port and counted, not here per call. */
    static Response unavailable(StoreUnavailableException e) {
        LOG.debugf(e, "Sequence API: the store is unavailable");
        return Response.fromResponse(refuse(new SequenceApiException(503, SequenceApiException.SERVICE_UNAVAILABLE,
                "The service cannot store or read right now; " + e.callerAdvice() + ".")))
                .header(HttpHeaders.RETRY_AFTER, "5").build();
    }
}
