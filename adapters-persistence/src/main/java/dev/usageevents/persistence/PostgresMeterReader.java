package dev.usageevents.persistence;

import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.InvalidInputException;
import dev.usageevents.domain.model.meter.Aggregation;
import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.domain.model.meter.MeterDefinition;
import dev.usageevents.domain.model.meter.MeterValues;
import dev.usageevents.domain.model.meter.MeterWindows;
import dev.usageevents.domain.model.meter.PropertyPath;
import dev.usageevents.domain.port.in.MeterResult;
import dev.usageevents.domain.port.in.QueryMeters;
import dev.usageevents.domain.port.out.MeterReader;
import dev.usageevents.domain.service.MeterCell;
import dev.usageevents.domain.service.MeterGroup;
import dev.usageevents.domain.service.MeterResults;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Meters computed in SQL over {@code usage_events}, on read: one statement folds the matching versions into one
 * row per (window, group), and {@link MeterResults} fills in the empty windows exactly as it does for the
 * reference {@link dev.usageevents.domain.service.MeterAggregator}, whose rules this statement reproduces:
 *
 * <ul>
 *   <li>versions: the current ones through the partial indexes on {@code superseded_by is null}; with
 *       {@code asOf}, those plus the superseded ones ({@code usage_events_superseded_by_name}) received before it
 *       and superseded at or after it;</li>
 *   <li>windows: the bounds are computed in Java (time zones, DST) and passed as an array;
 *       {@code width_bucket} finds an event's window;</li>
 *   <li>properties: walked with {@code jsonb -> text} (never an array index); a value's number, text and distinct
 *       key as {@link MeterValues} defines them ({@code trim_scale} gives the canonical text of a number; the
 *       numeric-string check is the same regular expression); case folding with {@code translate} on ASCII
 *       letters, whatever the database's locale;</li>
 *   <li>exact arithmetic in {@code numeric}; AVG from the exact sum and count, in Java; LATEST through a
 *       fixed-width key (milliseconds of the timestamp and of the receipt, then the id's text, which orders as the
 *       uuid) compared in the C collation, so no sort of the events is needed; the first and last counted events
 *       from the least and greatest counted timestamps, then one index probe each for the id.</li>
 * </ul>
 */
@ApplicationScoped
public class PostgresMeterReader implements MeterReader {

    private static final String ASCII_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String ASCII_LOWER = "abcdefghijklmnopqrstuvwxyz";
    /** Milliseconds since the epoch, zero-padded to a fixed width (timestamps lie between 2000 and 9999). */
    private static final String MILLIS = "lpad((extract(epoch from %s) * 1000)::bigint::text, 16, '0')";
    private static final int LATEST_PREFIX = 16 + 16 + 36;

    private final AgroalDataSource dataSource;
    private final EventPartitions partitions;

    public PostgresMeterReader(AgroalDataSource dataSource, EventPartitions partitions) {
        this.dataSource = dataSource;
        this.partitions = partitions;
    }

    @Override
    public MeterResult aggregate(Meter meter, MeterWindows question) {
        List<Instant> bounds = question.bounds(QueryMeters.MAX_ROWS);
        // Under a retention, the events older than its cutoff are no longer counted, from the moment they expire.
        Instant from = partitions.cutoff().filter(cutoff -> cutoff.isAfter(question.from())).orElse(question.from());
        Statement statement = statement(meter, question, bounds, from);
        Map<MeterGroup, Map<Integer, MeterCell>> cells = new HashMap<>();
        long ignored = 0;
        OffsetDateTime first = null;
        OffsetDateTime last = null;
        int rows = 0;
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement prepared = statement.prepare(connection);
                    ResultSet row = prepared.executeQuery()) {
                while (row.next()) {
                    if (++rows > QueryMeters.MAX_ROWS) {
                        MeterResults.checkSize(bounds.size() - 1, QueryMeters.MAX_ROWS + 1L);
                    }
                    int column = 1;
                    int window = row.getInt(column++) - 1;
                    String customer = row.getString(column++);
                    List<String> values = new ArrayList<>(question.groupBy().size());
                    for (int i = 0; i < question.groupBy().size(); i++) {
                        values.add(row.getString(column++));
                    }
                    long eventCount = row.getLong(column++);
                    ignored += row.getLong(column++);
                    BigDecimal sum = row.getBigDecimal(column++);
                    BigDecimal min = row.getBigDecimal(column++);
                    BigDecimal max = row.getBigDecimal(column++);
                    String latest = row.getString(column++);
                    long distinct = row.getLong(column++);
                    OffsetDateTime firstTime = row.getObject(column++, OffsetDateTime.class);
                    OffsetDateTime lastTime = row.getObject(column, OffsetDateTime.class);
                    if (firstTime != null && (first == null || firstTime.isBefore(first))) {
                        first = firstTime;
                    }
                    if (lastTime != null && (last == null || lastTime.isAfter(last))) {
                        last = lastTime;
                    }
                    cells.computeIfAbsent(new MeterGroup(customer, values), g -> new HashMap<>()).put(window,
                            new MeterCell(eventCount, sum, min, max,
                                    latest == null ? null : new BigDecimal(latest.substring(LATEST_PREFIX)), distinct));
                }
            }
            UUID firstId = first == null ? null : counted(connection, meter, question, first, "");
            UUID lastId = last == null ? null : counted(connection, meter, question, last, " desc");
            return MeterResults.assemble(meter, question, bounds, cells, ignored, firstId, lastId);
        } catch (SQLException e) {
            throw StoreFailures.translate(e);
        }
    }

    /**
     * The least ({@code order} empty) or greatest ({@code " desc"}) id among the counted events at {@code time}:
     * with the least and greatest counted timestamps from the fold, the first and last counted events by
     * (timestamp, id), found through the index on (account, customer or event name, timestamp, id).
     */
    private static UUID counted(Connection connection, Meter meter, MeterWindows question, OffsetDateTime time,
            String order) throws SQLException {
        Statement s = new Statement();
        s.sql.append("select u.id from ");
        versions(s, meter, question, question.from());
        s.sql.append(" where u.event_ts = ? and ").append(counted(s, meter.definition()))
                .append(" order by u.id").append(order).append(" limit 1");
        s.parameters.add(time);
        try (PreparedStatement prepared = s.prepare(connection); ResultSet row = prepared.executeQuery()) {
            return row.next() ? row.getObject(1, UUID.class) : null;
        }
    }

    /** Whether an event of {@code u} goes into the value, as an expression. */
    private static String counted(Statement s, MeterDefinition definition) {
        return switch (definition.aggregation()) {
            case COUNT -> "true";
            case UNIQUE_COUNT -> "(" + distinctKey(value(s, definition.valueProperty())) + ") is not null";
            default -> "(" + number(value(s, definition.valueProperty())) + ") is not null";
        };
    }

    private static String number(String value) {
        return """
                case jsonb_typeof(%1$s) when 'number' then (%1$s #>> '{}')::numeric
                  when 'string' then case when length(%1$s #>> '{}') <= %2$d and (%1$s #>> '{}') ~ '%3$s'
                    then (%1$s #>> '{}')::numeric end end""".formatted(value,
                MeterValues.MAX_NUMERIC_STRING_LENGTH, MeterValues.NUMERIC_STRING);
    }

    private static String distinctKey(String value) {
        return """
                case jsonb_typeof(%1$s) when 'number' then 'n' || trim_scale((%1$s #>> '{}')::numeric)::text
                  when 'string' then 's' || (%1$s #>> '{}') end""".formatted(value);
    }

    /**
     * One row per (window, group) that has a matching event. The inner query computes each event's value once
     * ({@code offset 0} keeps PostgreSQL from copying the expression into every aggregate that reads it).
     */
    private static Statement statement(Meter meter, MeterWindows question, List<Instant> bounds, Instant from) {
        MeterDefinition definition = meter.definition();
        Aggregation aggregation = definition.aggregation();
        String ok = switch (aggregation) {
            case COUNT -> "true";
            case UNIQUE_COUNT -> "unique_key is not null";
            default -> "num is not null";
        };
        Statement s = new Statement();
        s.sql.append("select bucket, customer");
        for (int i = 0; i < question.groupBy().size(); i++) {
            s.sql.append(", g").append(i);
        }
        s.sql.append("""
                , count(*) filter (where %1$s), count(*) filter (where not (%1$s)),
                  %2$s, %3$s, %4$s, %5$s, %6$s,
                  min(event_ts) filter (where %1$s), max(event_ts) filter (where %1$s)
                from (select width_bucket(u.event_ts, ?::timestamptz[]) as bucket, u.event_ts,
                """.formatted(ok,
                wanted(definition, Aggregation.SUM, Aggregation.AVG) ? "sum(num)" : "null::numeric",
                wanted(definition, Aggregation.MIN) ? "min(num)" : "null::numeric",
                wanted(definition, Aggregation.MAX) ? "max(num)" : "null::numeric",
                wanted(definition, Aggregation.LATEST)
                        // (timestamp, receipt, id) as fixed-width text, compared in the C collation, then the number
                        ? "max((" + MILLIS.formatted("event_ts") + " || " + MILLIS.formatted("received_at")
                                + " || id::text || num::text) collate \"C\")"
                        : "null::text",
                wanted(definition, Aggregation.UNIQUE_COUNT) ? "count(distinct unique_key)" : "0"));
        s.parameters.add(new TimeArray(bounds));
        s.sql.append(question.groupByCustomer() ? "u.customer_id" : "null::text").append(" as customer");
        for (int i = 0; i < question.groupBy().size(); i++) {
            s.sql.append(", ").append(text(s, question.groupBy().get(i))).append(" as g").append(i);
        }
        if (aggregation == Aggregation.COUNT) {
            s.sql.append(", null::numeric as num, null::text as unique_key");
        } else {
            String value = value(s, definition.valueProperty());
            if (aggregation == Aggregation.UNIQUE_COUNT) {
                s.sql.append(", null::numeric as num, ").append(distinctKey(value))
                        .append(" as unique_key");
            } else {
                s.sql.append(", ").append(number(value)).append(" as num, null::text as unique_key");
                if (aggregation == Aggregation.LATEST) {
                    s.sql.append(", u.received_at, u.id");
                }
            }
        }
        s.sql.append(" from ");
        versions(s, meter, question, from);
        s.sql.append(" offset 0) m group by bucket, customer");
        for (int i = 0; i < question.groupBy().size(); i++) {
            s.sql.append(", g").append(i);
        }
        s.sql.append(" limit ?");
        s.parameters.add(QueryMeters.MAX_ROWS + 1);
        return s;
    }

    private static boolean wanted(MeterDefinition definition, Aggregation... aggregations) {
        for (Aggregation a : aggregations) {
            if (definition.aggregation() == a) {
                return true;
            }
        }
        return false;
    }

    /** The versions that count, as the subquery {@code u}. */
    private static void versions(Statement s, Meter meter, MeterWindows question, Instant from) {
        if (question.asOf() == null) {
            s.sql.append("(select * from usage_events u where u.superseded_by is null and ");
            matching(s, meter, question, from);
            s.sql.append(") u");
            return;
        }
        OffsetDateTime asOf = question.asOf().atOffset(ZoneOffset.UTC);
        s.sql.append("(select * from usage_events u where u.superseded_by is null and u.received_at < ? and ");
        s.parameters.add(asOf);
        matching(s, meter, question, from);
        s.sql.append(" union all select * from usage_events u where u.superseded_by is not null"
                + " and u.received_at < ? and u.superseded_at >= ? and ");
        s.parameters.add(asOf);
        s.parameters.add(asOf);
        matching(s, meter, question, from);
        s.sql.append(") u");
    }

    private static void matching(Statement s, Meter meter, MeterWindows question, Instant from) {
        MeterDefinition definition = meter.definition();
        s.sql.append("u.account_id = ? and u.event_name = ? and u.event_ts >= ? and u.event_ts < ? and u.customer_id <> ?");
        s.parameters.add(meter.accountId().value());
        s.parameters.add(definition.eventName().value());
        s.parameters.add(from.atOffset(ZoneOffset.UTC));
        s.parameters.add(question.to().atOffset(ZoneOffset.UTC));
        s.parameters.add(QueryMeters.VOID_CUSTOMER);
        if (!question.customers().isEmpty()) {
            s.sql.append(" and u.customer_id = any(?::text[])");
            s.parameters.add(new TextArray(question.customers().stream().map(CustomerId::value).toList()));
        }
        for (Map.Entry<PropertyPath, List<String>> filter : definition.propertyFilters().entrySet()) {
            String text = text(s, filter.getKey());
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

    /** The text of the property at {@code path} ({@link MeterValues#text}), as an expression. */
    private static String text(Statement s, PropertyPath path) {
        String value = value(s, path);
        return """
                case jsonb_typeof(%1$s) when 'string' then %1$s #>> '{}' when 'boolean' then %1$s #>> '{}'
                  when 'number' then trim_scale((%1$s #>> '{}')::numeric)::text end""".formatted(value);
    }

    /** The JSON value at {@code path}, walking objects only ({@code -> text} on an array is null). */
    private static String value(Statement s, PropertyPath path) {
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

    private record TimeArray(List<Instant> instants) {
    }

    private record TextArray(List<String> texts) {
    }

    private static final class Statement {
        private final StringBuilder sql = new StringBuilder();
        private final List<Object> parameters = new ArrayList<>();

        PreparedStatement prepare(Connection connection) throws SQLException {
            PreparedStatement prepared = connection.prepareStatement(sql.toString());
            try {
                bind(connection, prepared);
                return prepared;
            } catch (SQLException | RuntimeException e) {
                prepared.close();
                throw e;
            }
        }

        void bind(Connection connection, PreparedStatement prepared) throws SQLException {
            for (int i = 0; i < parameters.size(); i++) {
                Object parameter = parameters.get(i);
                if (parameter instanceof TimeArray times) {
                    prepared.setArray(i + 1, connection.createArrayOf("text",
                            times.instants().stream().map(Instant::toString).toArray()));
                } else if (parameter instanceof TextArray texts) {
                    prepared.setArray(i + 1, connection.createArrayOf("text", texts.texts().toArray()));
                } else {
                    prepared.setObject(i + 1, parameter);
                }
            }
        }
    }
}
