package dev.usageevents.persistence;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.CustomerId;
import dev.usageevents.domain.model.EventId;
import dev.usageevents.domain.model.EventName;
import dev.usageevents.domain.model.Source;
import dev.usageevents.domain.model.UsageEvent;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Immutable;

/**
 * One version of an event, as read through Panache. Rows are written set-based by {@link EventBatchWriter},
 * never through the entity, hence {@code @Immutable}.
 */
@Entity
@Immutable
@Table(name = "usage_events")
public class UsageEventEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "account_id")
    public UUID accountId;

    @Column(name = "customer_id")
    public String customerId;

    @Column(name = "event_id")
    public String eventId;

    @Column(name = "event_name")
    public String eventName;

    @Column(name = "event_ts")
    public Instant timestamp;

    @Column(name = "properties", columnDefinition = "jsonb")
    @ColumnTransformer(read = "properties::text")
    public String properties;

    @Enumerated(EnumType.STRING)
    public Source source;

    @Column(name = "received_at")
    public Instant receivedAt;

    @Column(name = "superseded_by")
    public UUID supersededBy;

    @Column(name = "superseded_at")
    public Instant supersededAt;

    UsageEvent toDomain() {
        return new UsageEvent(id, new AccountId(accountId), new CustomerId(customerId), new EventId(eventId),
                new EventName(eventName), timestamp, PropertiesJson.read(properties), source, receivedAt,
                supersededBy, supersededAt);
    }
}
