package dev.usageevents.rest.sequence;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The {@code Sequence-Version} header of every request under {@code /api}, checked before any resource is
 * matched: absent (or blank) means the latest version, an unknown one is refused. Every {@code /api} response
 * carries the version that processed it, errors included; an error the framework answers without a body (405,
 * 406, ...) gets one in Sequence's shape.
 */
class SequenceHttpFilters {

    static final String VERSION_HEADER = "Sequence-Version";
    static final String LATEST_VERSION = "2024-07-30";
    static final List<String> SUPPORTED_VERSIONS = List.of(LATEST_VERSION);
    /** The {@code WWW-Authenticate} of a 401. */
    static final String CHALLENGE = "Basic realm=\"Sequence API\", charset=\"UTF-8\"";

    private static final String VERSION_PROPERTY = SequenceHttpFilters.class.getName() + ".version";

    @ServerRequestFilter(preMatching = true)
    Optional<Response> checkVersion(ContainerRequestContext request) {
        if (!isSequencePath(request.getUriInfo().getPath())) {
            return Optional.empty();
        }
        String requested = request.getHeaderString(VERSION_HEADER);
        Optional<SequenceApiException> unsupported = unsupportedVersion(requested);
        if (unsupported.isPresent()) {
            return Optional.of(refuse(unsupported.get()));
        }
        request.setProperty(VERSION_PROPERTY, version(requested));
        return Optional.empty();
    }

    /** The 400 for a {@code Sequence-Version} this service does not speak; empty when absent, blank or known. */
    static Optional<SequenceApiException> unsupportedVersion(String requested) {
        if (requested != null && !requested.isBlank() && !SUPPORTED_VERSIONS.contains(requested.trim())) {
            String shown = requested.length() <= 40 ? requested : requested.substring(0, 40) + "...";
            return Optional.of(new SequenceApiException(400, SequenceApiException.UNRECOGNISED_API_VERSION,
                    "Unrecognised API version '" + shown + "' in the " + VERSION_HEADER + " header; supported: "
                            + String.join(", ", SUPPORTED_VERSIONS)));
        }
        return Optional.empty();
    }

    @ServerResponseFilter
    void echoVersion(ContainerRequestContext request, ContainerResponseContext response) {
        if (!isSequencePath(request.getUriInfo().getPath())) {
            return;
        }
        Object version = request.getProperty(VERSION_PROPERTY);
        response.getHeaders().putSingle(VERSION_HEADER, version instanceof String v ? v : LATEST_VERSION);
        if (response.getStatus() >= 400 && !response.hasEntity()) {
            Response.StatusType status = response.getStatusInfo();
            String reason = status.getReasonPhrase() == null ? "Error" : status.getReasonPhrase();
            response.setEntity(new SequenceApiException(status.getStatusCode(), reason.replace(" ", ""), reason)
                    .body(), new Annotation[0], MediaType.APPLICATION_JSON_TYPE);
        }
    }

    /** The version a request is processed with: the one it names when supported, else the latest. */
    static String version(String requested) {
        return requested != null && SUPPORTED_VERSIONS.contains(requested.trim()) ? requested.trim() : LATEST_VERSION;
    }

    static boolean isSequencePath(String path) {
        return path.equals("/api") || path.startsWith("/api/");
    }

    /** A refusal in Sequence's shape; a 401 says how to authenticate. */
    static Response refuse(SequenceApiException e) {
        Response.ResponseBuilder response = Response.status(e.status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(e.body());
        if (e.status == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
        }
        if (e.retryAfterSeconds > 0) {
            response.header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds);
        }
        return response.build();
    }
}
