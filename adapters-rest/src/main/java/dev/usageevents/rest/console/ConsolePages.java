package dev.usageevents.rest.console;

import dev.usageevents.domain.model.Account;
import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.domain.model.meter.MeterDefinition;
import io.quarkus.qute.Engine;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Renders the console's Qute templates (templates/console/*.html, HTML-escaped) into responses that no cache keeps
 * and no other site may frame or script.
 */
@Singleton
@TemplateData(target = Account.class)
@TemplateData(target = AccountId.class)
@TemplateData(target = Meter.class)
@TemplateData(target = MeterDefinition.class)
@TemplateData(target = dev.usageevents.domain.model.EventName.class)
@TemplateData(target = dev.usageevents.domain.port.in.MeterRow.class)
@TemplateData(target = java.math.BigDecimal.class)
class ConsolePages {

    /** Scripts and styles from /console/assets only; forms post to this site only; no framing. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final Engine engine;

    ConsolePages(Engine engine) {
        this.engine = engine;
    }

    /** The template {@code console/<name>} with the layout's data: the session (may be null), its account, the nav. */
    TemplateInstance page(String name, ConsoleSession session, String account, String nav) {
        return engine.getTemplate("console/" + name).instance().data("session", session)
                .data("acct", account == null ? "" : account).data("nav", nav == null ? "" : nav);
    }

    static Response html(int status, TemplateInstance page) {
        return secured(Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(page.render())).build();
    }

    static Response ok(TemplateInstance page) {
        return html(200, page);
    }

    static Response.ResponseBuilder secured(Response.ResponseBuilder response) {
        return response.header("Cache-Control", "no-store").header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff").header("Referrer-Policy", "same-origin");
    }

    static Response redirect(String location) {
        return secured(Response.status(303).header("Location", location)).build();
    }
}
