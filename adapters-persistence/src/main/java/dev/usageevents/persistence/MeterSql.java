package dev.usageevents.persistence;

import dev.usageevents.domain.model.meter.Aggregation;
import dev.usageevents.domain.model.meter.MeterDefinition;
import dev.usageevents.domain.model.meter.MeterValues;
import dev.usageevents.domain.model.meter.PropertyPath;
import dev.usageevents.domain.port.in.QueryMeters;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SQL of a meter's rules, shared by the reader of raw events ({@link PostgresMeterReader}) and the
 * pre-aggregates ({@link MeterRollups}, {@link MeterRollupReader}), so that both fold the same events to the same
 * values: which events match, an event's number, distinct key and LATEST key as {@link MeterValues} defines them,
 * and whether it goes into the value.
 */
final class MeterSql {

    private static final String ASCII_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String ASCII_LOWER = "abcdefghijklmnopqrstuvwxyz";
    /** Milliseconds since the epoch, zero-padded to a fixed width (timestamps lie between 2000 and 9999). */
    private static final String MILLIS = "lpad((extract(epoch from %s) * 1000)::bigint::text, 16, '0')";
    /** The width of the LATEST key before its number: timestamp, receipt, id. */
    static final int LATEST_PREFIX = 16 + 16 + 36;
    /** The 15-minute quarter that holds the timestamp {@code %s}. */
    static final String QUARTER = "(timestamptz 'epoch' + floor(extract(epoch from %s) / 900) * interval '15 minutes')";
    /** The UTC day that starts at or holds the timestamp {@code %s}. */
    static final String DAY = "(date_trunc('day', %s at time zone 'UTC') at time zone 'UTC')";

    private MeterSql() {
    }

    /**
     * A matching event's values, computed once each: the subquery {@code (select ... ) e} with the columns
     * {@code customer_id}, {@code event_ts}, {@code num} (its number, or null), {@code unique_key} (its distinct
     * key, or null), {@code latest_key} and {@code ok} (whether it goes into the value). {@code source} appends the
     * {@code from ... where ...} of the versions, whose rows are named {@code u}.
     */
    static void events(Statement s, MeterDefinition definition, java.util.function.Consumer<Statement> source) {
        events(s, definition, List.of(), source);
    }

    /** {@link #events}, with the text of each property of {@code groupBy} as the columns {@code g0, g1, ...}. */
    static void events(Statement s, MeterDefinition definition, List<PropertyPath> groupBy,
            java.util.function.Consumer<Statement> source) {
        Aggregation aggregation = definition.aggregation();
        String num = "null::numeric";
        String uniqueKey = "null::text";
        if (aggregation == Aggregation.UNIQUE_COUNT) {
            uniqueKey = distinctKey(value(definition.valueProperty()));
        } else if (aggregation != Aggregation.COUNT) {
            num = number(value(definition.valueProperty()));
        }
        String ok = switch (aggregation) {
            case COUNT -> "true";
            case UNIQUE_COUNT -> "unique_key is not null";
            default -> "num is not null";
        };
        String latest = aggregation == Aggregation.LATEST
                // (timestamp, receipt, id) as fixed-width text, compared in the C collation, then the number
                ? "(" + MILLIS.formatted("event_ts") + " || " + MILLIS.formatted("received_at")
                        + " || id::text || num::text) collate \"C\""
                : "null::text collate \"C\"";
        StringBuilder groups = new StringBuilder();
        StringBuilder groupValues = new StringBuilder();
        for (int i = 0; i < groupBy.size(); i++) {
            groups.append("g").append(i).append(", ");
            groupValues.append(text(groupBy.get(i))).append(" as g").append(i).append(", ");
        }
        s.sql.append("(select customer_id, event_ts, ").append(groups).append("num, unique_key, ").append(latest)
                .append(" as latest_key, ").append(ok).append(" as ok from (select u.customer_id, u.event_ts, ")
                .append(groupValues).append("u.received_at, u.id, ").append(num).append(" as num, ")
                .append(uniqueKey).append(" as unique_key ");
        source.accept(s);
        // offset 0 keeps PostgreSQL from copying the expressions into every aggregate that reads them
        s.sql.append(" offset 0) v) e");
    }

    /**
     * An event of {@link #events} as a pre-aggregate row: value_key, event_count, ignored, sum, min, max,
     * latest, first_ts, last_ts.
     */
    static final String EVENT_AS_ROW = """
            coalesce(unique_key, '') as value_key, case when ok then 1 else 0 end::bigint as event_count,
            case when ok then 0 else 1 end::bigint as ignored, num as sum, num as min, num as max,
            latest_key as latest, case when ok then event_ts end as first_ts, case when ok then event_ts end as last_ts""";

    /** The columns of a pre-aggregate row after its key. */
    static final String ROW_VALUES = "value_key, event_count, ignored, sum, min, max, latest, first_ts, last_ts";

    /** Folds events of {@link #events}, grouped by the caller and by value_key, into {@link #ROW_VALUES}. */
    static final String FOLD_EVENTS = """
            coalesce(unique_key, '') as value_key, count(*) filter (where ok) as event_count,
            count(*) filter (where not ok) as ignored, sum(num) as sum, min(num) as min, max(num) as max,
            max(latest_key) as latest, min(event_ts) filter (where ok) as first_ts,
            max(event_ts) filter (where ok) as last_ts""";

    /** Folds pre-aggregate rows, grouped by the caller and by value_key, into {@link #ROW_VALUES}. */
    static final String MERGE_ROWS = """
            value_key, sum(event_count), sum(ignored), sum(sum), min(min), max(max), max(latest), min(first_ts),
            max(last_ts)""";

    /** Folds pre-aggregate rows (or events as rows) into the answer's columns, after the group's own. */
    static final String FOLD_ROWS = """
            sum(event_count), sum(ignored), sum(sum), min(min), max(max), max(latest),
            count(distinct value_key) filter (where value_key <> ''), min(first_ts), max(last_ts)""";

    /**
     * The conditions of a matching version of {@code u} (with {@code current}, of a current one), after the
     * caller's own: account, event name, not voided, the property filters.
     */
    static void matching(Statement s, MeterDefinition definition, java.util.UUID accountId, boolean current) {
        s.sql.append(current ? "u.superseded_by is null and " : "")
                .append("u.account_id = ? and u.event_name = ? and u.customer_id <> ?");
        s.parameters.add(accountId);
        s.parameters.add(definition.eventName().value());
        s.parameters.add(QueryMeters.VOID_CUSTOMER);
        filters(s, definition);
    }

    /** The property filters of a definition, each as {@code and (...)}. */
    static void filters(Statement s, MeterDefinition definition) {
        for (Map.Entry<PropertyPath, List<String>> filter : definition.propertyFilters().entrySet()) {
            String text = text(filter.getKey());
            List<String> allowed = filter.getValue();
            if (!definition.caseSensitive()) {
                text = "translate(" + text + ", '" + ASCII_UPPER + "', '" + ASCII_LOWER + "')";
                allowed = allowed.stream().map(MeterValues::foldCase).toList();
            }
            if (definition.propertiesToNegate().contains(filter.getKey())) {
                s.sql.append(" and (").append(text).append(" is null or not (").append(text)
                        .append(") = any(?::text[]))");
            } else {
                s.sql.append(" and (").append(text).append(") = any(?::text[])");
            }
            s.parameters.add(new TextArray(allowed));
        }
    }

    /** Whether the version {@code u} goes into the value, as an expression. */
    static String counted(MeterDefinition definition) {
        return switch (definition.aggregation()) {
            case COUNT -> "true";
            case UNIQUE_COUNT -> "(" + distinctKey(value(definition.valueProperty())) + ") is not null";
            default -> "(" + number(value(definition.valueProperty())) + ") is not null";
        };
    }

    static String number(String value) {
        return """
                case jsonb_typeof(%1$s) when 'number' then (%1$s #>> '{}')::numeric
                  when 'string' then case when length(%1$s #>> '{}') <= %2$d and (%1$s #>> '{}') ~ '%3$s'
                    then (%1$s #>> '{}')::numeric end end""".formatted(value,
                MeterValues.MAX_NUMERIC_STRING_LENGTH, MeterValues.NUMERIC_STRING);
    }

    static String distinctKey(String value) {
        return """
                case jsonb_typeof(%1$s) when 'number' then 'n' || trim_scale((%1$s #>> '{}')::numeric)::text
                  when 'string' then 's' || (%1$s #>> '{}') end""".formatted(value);
    }

    /** The text of the property at {@code path} ({@link MeterValues#text}), as an expression. */
    static String text(PropertyPath path) {
        String value = value(path);
        return """
                case jsonb_typeof(%1$s) when 'string' then %1$s #>> '{}' when 'boolean' then %1$s #>> '{}'
                  when 'number' then trim_scale((%1$s #>> '{}')::numeric)::text end""".formatted(value);
    }

    /** The JSON value at {@code path}, walking objects only ({@code -> text} on an array is null). */
    static String value(PropertyPath path) {
        StringBuilder expression = new StringBuilder("(u.properties");
        for (String segment : path.segments()) {
            expression.append(" -> ").append(literal(segment));
        }
        return expression.append(')').toString();
    }

    /** A segment as a SQL string literal: it is repeated in several expressions, so it is inlined, quoted. */
    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'::text";
    }

    /**
     * What a definition's values depend on, hashed: pre-aggregates built for one definition are not read for
     * another (a meter's name, unit and description do not count).
     */
    static String definitionHash(MeterDefinition definition) {
        StringBuilder text = new StringBuilder();
        text.append(definition.eventName().value()).append('\0').append(definition.aggregation()).append('\0')
                .append(definition.valueProperty() == null ? "" : definition.valueProperty().dotted()).append('\0')
                .append(definition.caseSensitive()).append('\0');
        Map<String, List<String>> filters = new TreeMap<>();
        definition.propertyFilters().forEach((path, values) -> filters.put(path.dotted(), values));
        filters.forEach((path, values) -> {
            text.append(path).append(definition.propertiesToNegate().stream().anyMatch(p -> p.dotted().equals(path))
                    ? "!" : "=");
            values.forEach(v -> text.append(v).append('\u001f'));
            text.append('\0');
        });
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Instants as an array constant, written into the SQL: unlike a {@code text[]} parameter cast to
     * {@code timestamptz[]} (a cast PostgreSQL does not fold, as it depends on the session's time zone), the
     * planner sees how many elements an {@code unnest} of it yields, and probes an index once per range instead of
     * scanning a whole table. An {@link Instant}'s text holds only digits, {@code -:.TZ}.
     */
    static String timestamps(List<Instant> instants) {
        StringBuilder text = new StringBuilder("'{");
        for (int i = 0; i < instants.size(); i++) {
            text.append(i == 0 ? "" : ",").append(instants.get(i));
        }
        return text.append("}'::timestamptz[]").toString();
    }

    record TimeArray(List<Instant> instants) {
    }

    record TextArray(List<String> texts) {
    }

    record UuidArray(List<java.util.UUID> ids) {
    }

    /** SQL text with its parameters, bound in order; instants as {@code timestamptz}, lists as arrays (cast them). */
    static final class Statement {
        final StringBuilder sql = new StringBuilder();
        final List<Object> parameters = new ArrayList<>();

        Statement append(String text) {
            sql.append(text);
            return this;
        }

        Statement bind(Object parameter) {
            parameters.add(parameter);
            return this;
        }

        PreparedStatement prepare(Connection connection) throws SQLException {
            PreparedStatement prepared = connection.prepareStatement(sql.toString());
            try {
                for (int i = 0; i < parameters.size(); i++) {
                    Object parameter = parameters.get(i);
                    if (parameter instanceof TimeArray times) {
                        // typed: a text[] cast to timestamptz[] is not folded (see timestamps), and
                        // width_bucket(t, ?::timestamptz[]) parsed the array again for every row
                        prepared.setArray(i + 1, connection.createArrayOf("timestamptz",
                                times.instants().stream().map(Instant::toString).toArray()));
                    } else if (parameter instanceof TextArray texts) {
                        prepared.setArray(i + 1, connection.createArrayOf("text", texts.texts().toArray()));
                    } else if (parameter instanceof UuidArray ids) {
                        prepared.setArray(i + 1, connection.createArrayOf("uuid", ids.ids().toArray()));
                    } else if (parameter instanceof Instant instant) {
                        prepared.setObject(i + 1, instant.atOffset(ZoneOffset.UTC));
                    } else {
                        prepared.setObject(i + 1, parameter);
                    }
                }
                return prepared;
            } catch (SQLException | RuntimeException e) {
                prepared.close();
                throw e;
            }
        }
    }
}
