package dev.usageevents.rest.sequence;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows of the {@code usage} extension as CSV (RFC 4180: CRLF line ends, a field quoted when it holds a comma,
 * a quote or a line break, quotes doubled), with a header row: {@code windowStart,windowEnd,customerAlias}, one
 * {@code groupBy.<path>} column per grouped property, then {@code value,eventCount}. A null is an empty field;
 * values are exact decimals in plain notation.
 */
final class SequenceMetricUsageCsv {

    private SequenceMetricUsageCsv() {
    }

    static String write(SequenceMetricUsage usage, List<String> groupByPaths) {
        Set<String> paths = new LinkedHashSet<>(groupByPaths);
        for (SequenceMetricUsage.Row row : usage.data()) {
            paths.addAll(row.groupBy().keySet());
        }
        StringBuilder csv = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("windowStart", "windowEnd", "customerAlias"));
        paths.forEach(path -> header.add("groupBy." + path));
        header.add("value");
        header.add("eventCount");
        line(csv, header);
        for (SequenceMetricUsage.Row row : usage.data()) {
            List<String> fields = new ArrayList<>(List.of(row.windowStart(), row.windowEnd(), text(row.customerAlias())));
            Map<String, Object> groups = row.groupBy();
            paths.forEach(path -> fields.add(text(groups.get(path))));
            fields.add(row.value() == null ? "" : row.value().toPlainString());
            fields.add(Long.toString(row.eventCount()));
            line(csv, fields);
        }
        return csv.toString();
    }

    private static void line(StringBuilder csv, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            csv.append(field(fields.get(i)));
        }
        csv.append("\r\n");
    }

    static String field(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        return value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString();
    }
}
