package dev.usageevents.domain.testing;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.domain.port.out.MeterFilter;
import dev.usageevents.domain.port.out.MeterStore;
import dev.usageevents.domain.service.MeterAggregator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/** Meter definitions in memory, for tests: one lock stands in for the database's unique index. */
public final class InMemoryMeterStore implements MeterStore {

    private final Map<UUID, Meter> meters = new LinkedHashMap<>();

    @Override
    public synchronized boolean insert(Meter meter) {
        if (nameTaken(meter)) {
            return false;
        }
        meters.put(meter.id(), meter);
        return true;
    }

    @Override
    public synchronized boolean update(Meter meter) {
        Meter stored = meters.get(meter.id());
        if (stored == null || !stored.isLive() || !stored.accountId().equals(meter.accountId())) {
            return true;
        }
        if (meter.isLive() && nameTaken(meter)) {
            return false;
        }
        meters.put(meter.id(), meter);
        return true;
    }

    private boolean nameTaken(Meter meter) {
        return meters.values().stream().anyMatch(m -> m.isLive() && !m.id().equals(meter.id())
                && m.accountId().equals(meter.accountId())
                && m.definition().name().equals(meter.definition().name()));
    }

    @Override
    public synchronized Optional<Meter> findById(AccountId accountId, UUID id) {
        return Optional.ofNullable(meters.get(id)).filter(m -> m.accountId().equals(accountId));
    }

    @Override
    public synchronized Optional<Meter> findLiveByName(AccountId accountId, String name) {
        return live(accountId, new MeterFilter(name, null, null)).findFirst();
    }

    @Override
    public synchronized List<Meter> findLive(AccountId accountId, MeterFilter filter, UUID after, UUID before,
            int limit) {
        List<Meter> sorted = live(accountId, filter)
                .filter(m -> after == null || MeterAggregator.compareIds(m.id(), after) > 0)
                .filter(m -> before == null || MeterAggregator.compareIds(m.id(), before) < 0)
                .toList();
        if (before != null) {
            return new ArrayList<>(sorted.subList(Math.max(0, sorted.size() - limit), sorted.size()));
        }
        return sorted.stream().limit(limit).toList();
    }

    @Override
    public synchronized long countLive(AccountId accountId, MeterFilter filter) {
        return live(accountId, filter).count();
    }

    private Stream<Meter> live(AccountId accountId, MeterFilter filter) {
        return meters.values().stream()
                .filter(m -> m.isLive() && m.accountId().equals(accountId))
                .filter(m -> filter.name() == null || m.definition().name().equals(filter.name()))
                .filter(m -> filter.eventName() == null || m.definition().eventName().value().equals(filter.eventName()))
                .filter(m -> filter.aggregation() == null || m.definition().aggregation() == filter.aggregation())
                .sorted((a, b) -> MeterAggregator.compareIds(a.id(), b.id()));
    }
}
