package dev.usageevents.persistence;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.port.out.IdempotencyKeyStore;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Idempotency keys in PostgreSQL ({@code idempotency_keys}). A claim is one {@code INSERT … ON CONFLICT DO UPDATE
 * … RETURNING}: whichever instance inserts a key first, every concurrent claim of it waits for that row and gets
 * it back; an expired row is taken over in the same statement. Every thousandth claim also deletes a batch of
 * expired rows, so that the table holds about a day of keys without a scheduler.
 */
@ApplicationScoped
public class PostgresIdempotencyKeyStore implements IdempotencyKeyStore {

    private static final String CLAIM = """
            insert into idempotency_keys as k (account_id, idempotency_key, request_digest, event_id, created_at)
            values (?, ?, ?, ?, now())
            on conflict (account_id, idempotency_key) do update set
                request_digest = case when k.created_at < now() - ?::interval then excluded.request_digest
                                      else k.request_digest end,
                event_id = case when k.created_at < now() - ?::interval then excluded.event_id else k.event_id end,
                stored_id = case when k.created_at < now() - ?::interval then null else k.stored_id end,
                created_at = case when k.created_at < now() - ?::interval then excluded.created_at
                                  else k.created_at end
            returning request_digest, event_id, stored_id""";
    private static final String PURGE = """
            delete from idempotency_keys where ctid = any (array(
                select ctid from idempotency_keys where created_at < now() - ?::interval
                order by created_at limit 1000))""";
    private static final int PURGE_EVERY = 1000;

    private final AgroalDataSource dataSource;
    private final AtomicLong claims = new AtomicLong();

    public PostgresIdempotencyKeyStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public KeyRecord claim(AccountId account, String key, byte[] requestDigest, String eventId, Duration retention) {
        String interval = retention.toMillis() + " milliseconds";
        if (claims.incrementAndGet() % PURGE_EVERY == 0) {
            update(PURGE, interval);
        }
        return StoreFailures.guard(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement claim = connection.prepareStatement(CLAIM)) {
                claim.setObject(1, account.value());
                claim.setString(2, key);
                claim.setBytes(3, requestDigest);
                claim.setString(4, eventId);
                for (int i = 5; i <= 8; i++) {
                    claim.setString(i, interval);
                }
                try (ResultSet row = claim.executeQuery()) {
                    row.next();
                    return new KeyRecord(row.getBytes(1), row.getString(2),
                            Optional.ofNullable(row.getObject(3, UUID.class)));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("claiming an idempotency key failed: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void answered(AccountId account, String key, UUID storedId) {
        update("update idempotency_keys set stored_id = ? where account_id = ? and idempotency_key = ?"
                + " and stored_id is null", storedId, account.value(), key);
    }

    @Override
    public void release(AccountId account, String key, byte[] requestDigest) {
        update("delete from idempotency_keys where account_id = ? and idempotency_key = ? and request_digest = ?"
                + " and stored_id is null", account.value(), key, requestDigest);
    }

    private void update(String sql, Object... parameters) {
        StoreFailures.guard(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setObject(i + 1, parameters[i]);
                }
                return statement.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("an idempotency key update failed: " + e.getMessage(), e);
            }
        });
    }
}
