package dev.usageevents.rest.console;

import dev.usageevents.domain.model.meter.MeterDefinition;
import dev.usageevents.domain.model.meter.PropertyPath;
import dev.usageevents.domain.port.in.MeterDraft;
import io.quarkus.qute.TemplateData;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The meter form's fields as text: filters one per line ({@code path=value1,value2}), negated paths comma-separated.
 * The domain validates the draft; the form only splits text.
 */
@TemplateData
record MeterForm(String name, String eventName, String aggregation, String valueProperty, String filters,
        String negate, boolean caseSensitive, String unit, String description) {

    static MeterForm empty() {
        return new MeterForm("", "", "COUNT", "", "", "", true, "", "");
    }

    static MeterForm of(MeterDefinition d) {
        return new MeterForm(d.name(), d.eventName().value(), d.aggregation().name(),
                d.valueProperty() == null ? "" : text(d.valueProperty()),
                d.propertyFilters().entrySet().stream().map(e -> text(e.getKey()) + "=" + String.join(",", e.getValue()))
                        .sorted().collect(Collectors.joining("\n")),
                d.propertiesToNegate().stream().map(MeterForm::text).sorted().collect(Collectors.joining(", ")),
                d.caseSensitive(), d.unit() == null ? "" : d.unit(), d.description() == null ? "" : d.description());
    }

    MeterDraft draft() {
        Map<String, List<String>> parsed = new LinkedHashMap<>();
        for (String line : filters.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            String path = eq < 0 ? line.trim() : line.substring(0, eq).trim();
            List<String> values = eq < 0 ? List.of() : Arrays.stream(line.substring(eq + 1).split(","))
                    .map(String::trim).filter(v -> !v.isEmpty()).toList();
            parsed.put(path, values);
        }
        List<String> negated = Arrays.stream(negate.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
        return new MeterDraft(blank(name), blank(eventName), blank(aggregation), blank(valueProperty), parsed,
                negated, caseSensitive, blank(unit), blank(description));
    }

    private static String blank(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    private static String text(PropertyPath path) {
        return String.join(".", path.segments());
    }
}
