package dev.usageevents.persistence;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.EventProperties;
import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.domain.model.meter.MeterDefinition;
import dev.usageevents.domain.model.meter.PropertyPath;
import dev.usageevents.domain.port.in.MeterDraft;
import dev.usageevents.domain.port.out.MeterFilter;
import dev.usageevents.domain.port.out.MeterStore;
import dev.usageevents.domain.service.MeterValidation;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Meter definitions in PostgreSQL, in plain JDBC like the event writer. The partial unique index
 * {@code meters_live_name} keeps names unique among an account's live meters under any concurrency: a taken name
 * is the index's refusal, not a check before the write.
 */
@ApplicationScoped
public class JdbcMeterStore implements MeterStore {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS = "account_id, id, name, event_name, aggregation, value_property, "
            + "property_filters::text, properties_to_negate, case_sensitive, unit, description, created_at, deleted_at";

    private final AgroalDataSource dataSource;

    public JdbcMeterStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean insert(Meter meter) {
        String sql = "insert into meters (account_id, id, name, event_name, aggregation, value_property, "
                + "property_filters, properties_to_negate, case_sensitive, unit, description, created_at, deleted_at) "
                + "values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)";
        return write(sql, meter, false);
    }

    @Override
    public boolean update(Meter meter) {
        String sql = "update meters set account_id = ?, id = ?, name = ?, event_name = ?, aggregation = ?, "
                + "value_property = ?, property_filters = ?::jsonb, properties_to_negate = ?, case_sensitive = ?, "
                + "unit = ?, description = ?, created_at = ?, deleted_at = ? "
                + "where account_id = ? and id = ? and deleted_at is null";
        return write(sql, meter, true);
    }

    private boolean write(String sql, Meter meter, boolean update) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            MeterDefinition d = meter.definition();
            statement.setObject(1, meter.accountId().value());
            statement.setObject(2, meter.id());
            statement.setString(3, d.name());
            statement.setString(4, d.eventName().value());
            statement.setString(5, d.aggregation().name());
            statement.setString(6, d.valueProperty() == null ? null : d.valueProperty().dotted());
            Map<String, Object> filters = new LinkedHashMap<>();
            d.propertyFilters().forEach((path, values) -> filters.put(path.dotted(), values));
            statement.setString(7, EventProperties.of(filters).toJson());
            statement.setArray(8, connection.createArrayOf("text",
                    d.propertiesToNegate().stream().map(PropertyPath::dotted).sorted().toArray()));
            statement.setBoolean(9, d.caseSensitive());
            statement.setString(10, d.unit());
            statement.setString(11, d.description());
            statement.setObject(12, time(meter.createdAt()));
            statement.setObject(13, time(meter.deletedAt()));
            if (update) {
                statement.setObject(14, meter.accountId().value());
                statement.setObject(15, meter.id());
            }
            statement.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw StoreFailures.translate(e);
        }
    }

    @Override
    public Optional<Meter> findById(AccountId accountId, UUID id) {
        List<Meter> found = select("where account_id = ? and id = ?", List.of(accountId.value(), id));
        return found.stream().findFirst();
    }

    @Override
    public Optional<Meter> findLiveByName(AccountId accountId, String name) {
        return select("where account_id = ? and name = ? and deleted_at is null", List.of(accountId.value(), name))
                .stream().findFirst();
    }

    @Override
    public List<Meter> findLive(AccountId accountId, MeterFilter filter, UUID after, UUID before, int limit) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder where = where(accountId, filter, parameters);
        if (after != null) {
            where.append(" and id > ?");
            parameters.add(after);
        }
        if (before != null) {
            where.append(" and id < ?");
            parameters.add(before);
        }
        parameters.add(limit);
        if (before != null) {
            List<Meter> page = new ArrayList<>(select(where + " order by id desc limit ?", parameters));
            java.util.Collections.reverse(page);
            return page;
        }
        return select(where + " order by id limit ?", parameters);
    }

    @Override
    public long countLive(AccountId accountId, MeterFilter filter) {
        List<Object> parameters = new ArrayList<>();
        String sql = "select count(*) from meters " + where(accountId, filter, parameters);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw StoreFailures.translate(e);
        }
    }

    /** Every live meter of every account, for the pre-aggregates' maintenance ({@link MeterRollups}). */
    List<Meter> allLive() {
        return select("where deleted_at is null order by account_id, id", List.of());
    }

    /** Every live meter of one account, for the pre-aggregates' maintenance. */
    List<Meter> allLive(UUID accountId) {
        return select("where account_id = ? and deleted_at is null order by id", List.of(accountId));
    }

    private static StringBuilder where(AccountId accountId, MeterFilter filter, List<Object> parameters) {
        StringBuilder where = new StringBuilder("where account_id = ? and deleted_at is null");
        parameters.add(accountId.value());
        if (filter.name() != null) {
            where.append(" and name = ?");
            parameters.add(filter.name());
        }
        if (filter.eventName() != null) {
            where.append(" and event_name = ?");
            parameters.add(filter.eventName());
        }
        if (filter.aggregation() != null) {
            where.append(" and aggregation = ?");
            parameters.add(filter.aggregation().name());
        }
        return where;
    }

    private List<Meter> select(String where, List<Object> parameters) {
        String sql = "select " + COLUMNS + " from meters " + where;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            List<Meter> meters = new ArrayList<>();
            while (rows.next()) {
                meters.add(meter(rows));
            }
            return meters;
        } catch (SQLException e) {
            throw StoreFailures.translate(e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, List<Object> parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
        return statement;
    }

    /** A stored row, read back through the domain's validation (it was valid when written). */
    private static Meter meter(ResultSet rows) throws SQLException {
        Map<String, Object> filters = PropertiesJson.read(rows.getString(7)).values();
        Array negated = rows.getArray(8);
        List<String> negate = Arrays.asList((String[]) negated.getArray());
        MeterDefinition definition = MeterValidation.definition(new MeterDraft(rows.getString(3), rows.getString(4),
                rows.getString(5), rows.getString(6), filters, negate, rows.getBoolean(9), rows.getString(10),
                rows.getString(11)));
        return new Meter(rows.getObject(2, UUID.class), new AccountId(rows.getObject(1, UUID.class)), definition,
                rows.getObject(12, OffsetDateTime.class).toInstant(), instant(rows.getObject(13, OffsetDateTime.class)));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
