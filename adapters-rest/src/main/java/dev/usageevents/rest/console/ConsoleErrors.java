package dev.usageevents.rest.console;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The console's refusals as HTML pages; no session: a redirect to the sign-in page. */
class ConsoleErrors {

    private final ConsolePages pages;

    ConsoleErrors(ConsolePages pages) {
        this.pages = pages;
    }

    @ServerExceptionMapper
    Response refused(ConsoleException e) {
        if (e.status == 303) {
            return ConsolePages.redirect("/console/sign-in");
        }
        Response page = ConsolePages.html(e.status, pages.page("error.html", null, null, null)
                .data("status", e.status).data("message", e.getMessage()));
        return e.retryAfterSeconds > 0
                ? Response.fromResponse(page).header("Retry-After", e.retryAfterSeconds).build() : page;
    }
}
