package dev.usageevents.rest.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.usageevents.domain.model.Account;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.EventFilter;
import dev.usageevents.domain.model.EventName;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.SortOrder;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.model.UsageEvent;
import dev.usageevents.domain.port.in.EventQuery;
import dev.usageevents.domain.port.in.ManageAccounts;
import dev.usageevents.domain.port.in.QueryUsageEvents;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The newest events of an account (the page polls {@code /rows} every few seconds for new ones), filtered by
 * customer, event name, channel and time, and one event with every version of its event id.
 */
@Path("/console/events")
@Produces(MediaType.TEXT_HTML)
public class ConsoleEventsResource {

    /** The newest this many events are shown; the channel filter picks among the newest 100 of the other filters. */
    static final int SHOWN = 50;
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final ConsoleGuard guard;
    private final ConsolePages pages;
    private final QueryUsageEvents events;
    private final ManageAccounts accounts;
    private final ObjectMapper json;

    ConsoleEventsResource(ConsoleGuard guard, ConsolePages pages, QueryUsageEvents events, ManageAccounts accounts,
            ObjectMapper json) {
        this.guard = guard;
        this.pages = pages;
        this.events = events;
        this.accounts = accounts;
        this.json = json;
    }

    /** The filters of the list, as the form sent them. */
    @io.quarkus.qute.TemplateData
    record Filters(String customer, String name, String channel, String from, String to) {
    }

    @GET
    @Operation(hidden = true)
    public Response list(HttpHeaders headers, @QueryParam("account") String account,
            @QueryParam("customer") String customer, @QueryParam("name") String name,
            @QueryParam("channel") String channel, @QueryParam("from") String from, @QueryParam("to") String to) {
        ConsoleSession session = guard.view(headers);
        Optional<Account> scope = guard.scope(session, account);
        if (scope.isEmpty()) {
            return ConsolePages.ok(pages.page("pick-account.html", session, null, "events")
                    .data("heading", "Events").data("path", "/console/events").data("accounts", accounts.list()));
        }
        Filters filters = new Filters(blank(customer), blank(name), blank(channel), blank(from), blank(to));
        TemplateInstance page = pages.page("events.html", session, scope.get().id().toString(), "events")
                .data("account", scope.get()).data("f", filters);
        return rows(page, scope.get(), filters);
    }

    /** The table's rows only: what the page's script fetches to show new events. */
    @GET
    @Path("/rows")
    @Operation(hidden = true)
    public Response rows(HttpHeaders headers, @QueryParam("account") String account,
            @QueryParam("customer") String customer, @QueryParam("name") String name,
            @QueryParam("channel") String channel, @QueryParam("from") String from, @QueryParam("to") String to) {
        ConsoleSession session = guard.view(headers);
        Account scope = guard.scope(session, account).orElseThrow(ConsoleException::notFound);
        Filters filters = new Filters(blank(customer), blank(name), blank(channel), blank(from), blank(to));
        return rows(pages.page("event-rows.html", session, scope.id().toString(), "events"), scope, filters);
    }

    private Response rows(TemplateInstance page, Account account, Filters f) {
        try {
            Source source = f.channel() == null ? null : Source.valueOf(f.channel().toUpperCase(Locale.ROOT));
            EventFilter filter = new EventFilter(f.customer() == null ? null : new CustomerId(f.customer()),
                    f.name() == null ? null : new EventName(f.name()), null, instant("from", f.from()),
                    instant("to", f.to()), false);
            List<UsageEvent> newest = events.list(account.id(), new EventQuery(filter, SortOrder.DESC,
                    source == null ? SHOWN : EventQuery.MAX_LIMIT, null, null)).items();
            List<EventView> shown = newest.stream().filter(e -> source == null || e.source() == source)
                    .limit(SHOWN).map(EventView::of).toList();
            return ConsolePages.ok(page.data("events", shown).data("error", null));
        } catch (InvalidInputException e) {
            return ConsolePages.html(400, page.data("events", List.of()).data("error", e.first().toString()));
        } catch (IllegalArgumentException e) {
            return ConsolePages.html(400, page.data("events", List.of())
                    .data("error", "channel: must be one of SEQUENCE, MANTLE, GRPC"));
        }
    }

    @GET
    @Path("/{id}")
    @Operation(hidden = true)
    public Response event(HttpHeaders headers, @QueryParam("account") String account, @PathParam("id") String id) {
        ConsoleSession session = guard.view(headers);
        Account scope = guard.scope(session, account).orElseThrow(ConsoleException::notFound);
        if (!UUID_TEXT.matcher(id).matches()) {
            throw ConsoleException.notFound();
        }
        UsageEvent event = events.get(scope.id(), UUID.fromString(id)).orElseThrow(ConsoleException::notFound);
        List<EventView> history = events.list(scope.id(), new EventQuery(new EventFilter(null, null,
                event.eventId(), null, null, true), SortOrder.ASC, EventQuery.MAX_LIMIT, null, null)).items()
                .stream().sorted((a, b) -> a.receivedAt().compareTo(b.receivedAt())).map(EventView::of).toList();
        String properties;
        try {
            properties = json.writerWithDefaultPrettyPrinter().writeValueAsString(event.properties().values());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return ConsolePages.ok(pages.page("event.html", session, scope.id().toString(), "events")
                .data("account", scope).data("event", EventView.of(event)).data("history", history)
                .data("properties", properties));
    }

    /** A time bound: ISO 8601 with an offset, or a local date-time (a datetime-local field) taken as UTC. */
    static Instant instant(String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw InvalidInputException.of(field, "must be a date and time such as 2026-12-02T10:00 (UTC)");
            }
        }
    }

    static String blank(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
