package dev.usageevents.rest.console;

import dev.usageevents.domain.model.Account;
import dev.usageevents.domain.model.FieldError;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.meter.Aggregation;
import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.domain.port.in.ManageAccounts;
import dev.usageevents.domain.port.in.ManageMeters;
import dev.usageevents.domain.port.in.MeterListQuery;
import dev.usageevents.domain.port.in.MeterNameTakenException;
import dev.usageevents.domain.port.in.MeterQuery;
import dev.usageevents.domain.port.in.MeterResult;
import dev.usageevents.domain.port.in.MeterRow;
import dev.usageevents.domain.port.in.QueryMeters;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * An account's meters: list, create, edit (the domain's validation messages shown on the form), and a meter's page:
 * its windows as a stacked bar chart (one customer, or the top customers and the others), the period's totals, and
 * the same figures as CSV.
 */
@Path("/console/meters")
@Produces(MediaType.TEXT_HTML)
public class ConsoleMetersResource {

    static final int TOP_CUSTOMERS = 5;
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final List<String> WINDOWS = List.of("MINUTE", "HOUR", "DAY", "WEEK", "MONTH");

    private final ConsoleGuard guard;
    private final ConsolePages pages;
    private final ManageMeters meters;
    private final QueryMeters queries;
    private final ManageAccounts accounts;

    ConsoleMetersResource(ConsoleGuard guard, ConsolePages pages, ManageMeters meters, QueryMeters queries,
            ManageAccounts accounts) {
        this.guard = guard;
        this.pages = pages;
        this.meters = meters;
        this.queries = queries;
        this.accounts = accounts;
    }

    @GET
    @Operation(hidden = true)
    public Response list(HttpHeaders headers, @QueryParam("account") String account) {
        ConsoleSession session = guard.view(headers);
        var scope = guard.scope(session, account);
        if (scope.isEmpty()) {
            return ConsolePages.ok(pages.page("pick-account.html", session, null, "meters")
                    .data("heading", "Meters").data("path", "/console/meters").data("accounts", accounts.list()));
        }
        List<Meter> items = meters.list(scope.get().id(), new MeterListQuery(null, null, null, 100, null, null))
                .items();
        return ConsolePages.ok(pages.page("meters.html", session, scope.get().id().toString(), "meters")
                .data("account", scope.get()).data("meters", items));
    }

    @GET
    @Path("/new")
    @Operation(hidden = true)
    public Response newMeter(HttpHeaders headers, @QueryParam("account") String account) {
        ConsoleSession session = guard.view(headers);
        Account scope = guard.scope(session, account).orElseThrow(ConsoleException::notFound);
        return ConsolePages.ok(form(session, scope, null, MeterForm.empty(), List.of()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response create(HttpHeaders headers, @FormParam("csrf") String csrf, @FormParam("account") String account,
            @FormParam("name") String name, @FormParam("eventName") String eventName,
            @FormParam("aggregation") String aggregation, @FormParam("valueProperty") String valueProperty,
            @FormParam("filters") String filters, @FormParam("negate") String negate,
            @FormParam("caseSensitive") String caseSensitive, @FormParam("unit") String unit,
            @FormParam("description") String description) {
        ConsoleSession session = guard.post(headers, csrf);
        Account scope = guard.scope(session, account).orElseThrow(ConsoleException::notFound);
        MeterForm form = form(name, eventName, aggregation, valueProperty, filters, negate, caseSensitive, unit,
                description);
        try {
            Meter meter = meters.create(scope.id(), form.draft());
            return ConsolePages.redirect("/console/meters/" + meter.id() + "?account=" + scope.id());
        } catch (InvalidInputException e) {
            return ConsolePages.html(400, form(session, scope, null, form, messages(e)));
        } catch (MeterNameTakenException e) {
            return ConsolePages.html(409, form(session, scope, null, form, List.of("name: " + e.getMessage())));
        }
    }

    @GET
    @Path("/{id}/edit")
    @Operation(hidden = true)
    public Response edit(HttpHeaders headers, @QueryParam("account") String account, @PathParam("id") String id) {
        ConsoleSession session = guard.view(headers);
        Account scope = guard.scope(session, account).orElseThrow(ConsoleException::notFound);
        Meter meter = meter(scope, id);
        return ConsolePages.ok(form(session, scope, meter, MeterForm.of(meter.definition()), List.of()));
    }

    @POST
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response replace(HttpHeaders headers, @PathParam("id") String id, @FormParam("csrf") String csrf,
            @FormParam("account") String account, @FormParam("name") String name,
            @FormParam("eventName") String eventName, @FormParam("aggregation") String aggregation,
            @FormParam("valueProperty") String valueProperty, @FormParam("filters") String filters,
            @FormParam("negate") String negate, @FormParam("caseSensitive") String caseSensitive,
            @FormParam("unit") String unit, @FormParam("description") String description) {
        ConsoleSession session = guard.post(headers, csrf);
        Account scope = guard.scope(session, account).orElseThrow(ConsoleException::notFound);
        Meter meter = meter(scope, id);
        MeterForm form = form(name, eventName, aggregation, valueProperty, filters, negate, caseSensitive, unit,
                description);
        try {
            meters.replace(scope.id(), meter.id(), form.draft()).orElseThrow(ConsoleException::notFound);
            return ConsolePages.redirect("/console/meters/" + meter.id() + "?account=" + scope.id());
        } catch (InvalidInputException e) {
            return ConsolePages.html(400, form(session, scope, meter, form, messages(e)));
        } catch (MeterNameTakenException e) {
            return ConsolePages.html(409, form(session, scope, meter, form, List.of("name: " + e.getMessage())));
        }
    }

    /** The chart's question, as the page's form sent it; blanks are the defaults (the last 7 days by day, UTC). */
    @io.quarkus.qute.TemplateData
    record ChartQuery(String from, String to, String window, String zone, String customer) {
    }

    @GET
    @Path("/{id}")
    @Operation(hidden = true)
    public Response meterPage(HttpHeaders headers, @QueryParam("account") String account,
            @PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("window") String window, @QueryParam("zone") String zone,
            @QueryParam("customer") String customer) {
        ConsoleSession session = guard.view(headers);
        Account scope = guard.scope(session, account).orElseThrow(ConsoleException::notFound);
        Meter meter = meter(scope, id);
        ChartQuery q = normalized(from, to, window, zone, customer);
        TemplateInstance page = pages.page("meter.html", session, scope.id().toString(), "meters")
                .data("account", scope).data("meter", meter).data("q", q).data("windows", WINDOWS)
                .data("csv", "/console/meters/" + meter.id() + "/csv?" + csvQuery(scope, q));
        try {
            return ConsolePages.ok(chart(page, scope, meter, q));
        } catch (InvalidInputException e) {
            return ConsolePages.html(400, page.data("errors", messages(e)).data("chart", null)
                    .data("total", null).data("top", List.of()));
        }
    }

    @GET
    @Path("/{id}/csv")
    @Produces("text/csv")
    @Operation(hidden = true)
    public Response csv(HttpHeaders headers, @QueryParam("account") String account, @PathParam("id") String id,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("window") String window,
            @QueryParam("zone") String zone, @QueryParam("customer") String customer) {
        ConsoleSession session = guard.view(headers);
        Account scope = guard.scope(session, account).orElseThrow(ConsoleException::notFound);
        Meter meter = meter(scope, id);
        ChartQuery q = normalized(from, to, window, zone, customer);
        MeterResult result;
        try {
            result = query(scope, meter, q, q.window(), q.customer() == null ? List.of() : List.of(q.customer()),
                    true);
        } catch (InvalidInputException e) {
            throw new ConsoleException(400, e.getMessage());
        }
        StringBuilder csv = new StringBuilder("window_start,window_end,customer_id,value,event_count\n");
        for (MeterRow row : result.rows()) {
            csv.append(row.windowStart()).append(',').append(row.windowEnd()).append(',')
                    .append(csvField(row.customerId())).append(',')
                    .append(row.value() == null ? "" : row.value().toPlainString()).append(',')
                    .append(row.eventCount()).append('\n');
        }
        String file = meter.definition().name().replaceAll("[^A-Za-z0-9._-]", "_") + ".csv";
        return ConsolePages.secured(Response.ok(csv.toString()).type("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"")).build();
    }

    private TemplateInstance chart(TemplateInstance page, Account account, Meter meter, ChartQuery q) {
        List<String> only = q.customer() == null ? List.of() : List.of(q.customer());
        MeterResult windows = query(account, meter, q, q.window(), only, false);
        MeterResult total = query(account, meter, q, null, only, false);
        MeterResult perCustomer = query(account, meter, q, null, only, true);
        List<MeterRow> ranked = perCustomer.rows().stream().filter(r -> r.value() != null)
                .sorted(Comparator.comparing(MeterRow::value).reversed().thenComparing(MeterRow::customerId))
                .toList();
        List<String> top = ranked.stream().limit(TOP_CUSTOMERS).map(MeterRow::customerId).toList();
        List<MeterRow> stacked = top.isEmpty() ? List.of()
                : query(account, meter, q, q.window(), top, true).rows();
        boolean additive = meter.definition().aggregation() == Aggregation.COUNT
                || meter.definition().aggregation() == Aggregation.SUM;
        BigDecimal overall = total.rows().isEmpty() ? null : total.rows().get(0).value();
        return page.data("errors", List.of())
                .data("chart", draw(windows.rows(), stacked, top, ranked, additive, q.zone(), q.window()))
                .data("total", overall == null ? "no value" : overall.toPlainString())
                .data("top", ranked.stream().limit(20).toList())
                .data("ignored", windows.ignoredEventCount());
    }

    /**
     * The SVG geometry: the windows come from the ungrouped answer (every window of the period, empty ones
     * included); each bar stacks the top customers' values and, for COUNT and SUM, the rest as "others".
     */
    static ChartView draw(List<MeterRow> windows, List<MeterRow> stacked, List<String> top, List<MeterRow> ranked,
            boolean additive, String zone, String window) {
        int width = 960;
        int height = 320;
        double left = 70;
        double bottom = 40;
        double plotW = width - left - 10;
        double plotH = height - bottom - 10;
        Map<Instant, Map<String, BigDecimal>> byWindow = new LinkedHashMap<>();
        for (MeterRow w : windows) {
            byWindow.put(w.windowStart(), new LinkedHashMap<>());
        }
        for (MeterRow r : stacked) {
            Map<String, BigDecimal> cell = byWindow.get(r.windowStart());
            if (cell != null && r.value() != null) {
                cell.put(r.customerId(), r.value());
            }
        }
        List<String> names = new ArrayList<>(top);
        boolean others = additive && ranked.size() > top.size();
        if (others) {
            for (MeterRow w : windows) {
                BigDecimal shown = byWindow.get(w.windowStart()).values().stream().reduce(BigDecimal.ZERO,
                        BigDecimal::add);
                BigDecimal rest = (w.value() == null ? BigDecimal.ZERO : w.value()).subtract(shown);
                byWindow.get(w.windowStart()).put("others", rest.max(BigDecimal.ZERO));
            }
            names.add("others");
        }
        double max = 0;
        for (Map<String, BigDecimal> cell : byWindow.values()) {
            double sum = cell.values().stream().mapToDouble(v -> Math.max(0, v.doubleValue())).sum();
            max = Math.max(max, sum);
        }
        double scale = max > 0 ? plotH / max : 0;
        int n = Math.max(1, byWindow.size());
        double slot = plotW / n;
        double barW = Math.max(1, slot * 0.8);
        int every = Math.max(1, (int) Math.ceil(n / 10.0));
        DateTimeFormatter format = DateTimeFormatter.ofPattern(switch (window) {
            case "MINUTE" -> "HH:mm";
            case "HOUR" -> "MM-dd HH:mm";
            case "MONTH" -> "yyyy-MM";
            default -> "yyyy-MM-dd";
        }).withZone(ZoneId.of(zone));
        List<ChartView.Bar> bars = new ArrayList<>();
        int i = 0;
        for (Map.Entry<Instant, Map<String, BigDecimal>> w : byWindow.entrySet()) {
            double x = left + i * slot + (slot - barW) / 2;
            double y = height - bottom;
            List<ChartView.Segment> segments = new ArrayList<>();
            for (int s = 0; s < names.size(); s++) {
                BigDecimal value = w.getValue().getOrDefault(names.get(s), BigDecimal.ZERO);
                double h = Math.max(0, value.doubleValue()) * scale;
                y -= h;
                segments.add(new ChartView.Segment(round(x), round(y), round(barW), round(h),
                        "s" + Math.min(s, TOP_CUSTOMERS), names.get(s) + " · " + format.format(w.getKey()) + ": "
                        + value.toPlainString()));
            }
            bars.add(new ChartView.Bar(segments, i % every == 0 ? format.format(w.getKey()) : "",
                    round(x + barW / 2)));
            i++;
        }
        List<ChartView.Tick> ticks = new ArrayList<>();
        for (int t = 0; t <= 4; t++) {
            double value = max * t / 4;
            ticks.add(new ChartView.Tick(round(height - bottom - value * scale), trim(value)));
        }
        List<ChartView.Series> series = new ArrayList<>();
        for (int s = 0; s < names.size(); s++) {
            String name = names.get(s);
            String total = ranked.stream().filter(r -> name.equals(r.customerId())).findFirst()
                    .map(r -> r.value().toPlainString()).orElse("");
            series.add(new ChartView.Series(name, "s" + Math.min(s, TOP_CUSTOMERS), total));
        }
        return new ChartView(width, height, bars, ticks, series, trim(max));
    }

    private MeterResult query(Account account, Meter meter, ChartQuery q, String window, List<String> customers,
            boolean byCustomer) {
        ZoneId zone = ZoneId.of(q.zone());
        Instant from = LocalDate.parse(q.from()).atStartOfDay(zone).toInstant();
        Instant to = LocalDate.parse(q.to()).plusDays(1).atStartOfDay(zone).toInstant();
        return queries.query(account.id(), meter.id(), new MeterQuery(from, to, window, q.zone(), customers,
                byCustomer, List.of(), null)).orElseThrow(ConsoleException::notFound);
    }

    /** The chart's question with its defaults: the last 7 days (both ends included) by day in UTC. */
    static ChartQuery normalized(String from, String to, String window, String zone, String customer) {
        String z = blank(zone) == null ? "UTC" : zone.trim();
        ZoneId zoneId;
        try {
            zoneId = ZoneId.of(z);
        } catch (DateTimeException e) {
            throw new ConsoleException(400, "timeZone: unknown time zone '" + z + "'");
        }
        LocalDate today = LocalDate.now(zoneId);
        String w = blank(window) == null ? "DAY" : window.trim().toUpperCase(java.util.Locale.ROOT);
        if (!WINDOWS.contains(w)) {
            throw new ConsoleException(400, "windowSize: must be one of " + WINDOWS);
        }
        try {
            LocalDate f = blank(from) == null ? today.minusDays(6) : LocalDate.parse(from.trim());
            LocalDate t = blank(to) == null ? today : LocalDate.parse(to.trim());
            return new ChartQuery(f.toString(), t.toString(), w, z, blank(customer));
        } catch (DateTimeException e) {
            throw new ConsoleException(400, "from, to: dates such as 2026-12-02");
        }
    }

    private static String csvQuery(Account account, ChartQuery q) {
        StringBuilder s = new StringBuilder("account=").append(account.id()).append("&from=").append(q.from())
                .append("&to=").append(q.to()).append("&window=").append(q.window()).append("&zone=")
                .append(java.net.URLEncoder.encode(q.zone(), java.nio.charset.StandardCharsets.UTF_8));
        if (q.customer() != null) {
            s.append("&customer=").append(java.net.URLEncoder.encode(q.customer(),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        return s.toString();
    }

    private Meter meter(Account account, String id) {
        if (!UUID_TEXT.matcher(id).matches()) {
            throw ConsoleException.notFound();
        }
        return meters.get(account.id(), UUID.fromString(id)).orElseThrow(ConsoleException::notFound);
    }

    private TemplateInstance form(ConsoleSession session, Account account, Meter meter, MeterForm form,
            List<String> errors) {
        return pages.page("meter-form.html", session, account.id().toString(), "meters").data("account", account)
                .data("meter", meter).data("form", form).data("errors", errors)
                .data("aggregations", List.of(Aggregation.values()).stream().map(Enum::name).toList());
    }

    private static MeterForm form(String name, String eventName, String aggregation, String valueProperty,
            String filters, String negate, String caseSensitive, String unit, String description) {
        return new MeterForm(Objects.toString(name, ""), Objects.toString(eventName, ""),
                Objects.toString(aggregation, ""), Objects.toString(valueProperty, ""),
                Objects.toString(filters, ""), Objects.toString(negate, ""), caseSensitive != null,
                Objects.toString(unit, ""), Objects.toString(description, ""));
    }

    private static List<String> messages(InvalidInputException e) {
        return e.errors().stream().map(FieldError::toString).toList();
    }

    private static String csvField(String text) {
        if (text == null) {
            return "";
        }
        String safe = text.matches("^[=+\\-@].*") ? "'" + text : text;
        return safe.contains(",") || safe.contains("\"") || safe.contains("\n")
                ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String trim(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String blank(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
