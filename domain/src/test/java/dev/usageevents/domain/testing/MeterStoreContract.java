package dev.usageevents.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usageevents.domain.model.AccountId;
import dev.usageevents.domain.model.meter.Aggregation;
import dev.usageevents.domain.model.meter.Meter;
import dev.usageevents.domain.model.meter.MeterDefinition;
import dev.usageevents.domain.port.in.MeterDraft;
import dev.usageevents.domain.port.out.MeterFilter;
import dev.usageevents.domain.port.out.MeterStore;
import dev.usageevents.domain.service.MeterValidation;
import dev.usageevents.domain.service.UuidV7Generator;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link MeterStore} must do. Run in memory and against PostgreSQL; each test has an account of its own. */
public abstract class MeterStoreContract {

    private final UuidV7Generator ids = new UuidV7Generator(Clock.systemUTC());

    protected abstract MeterStore store();

    protected abstract AccountId newAccount();

    private Meter meter(AccountId account, String name, String aggregation) {
        MeterDefinition definition = MeterValidation.definition(new MeterDraft(name, "message-sent", aggregation,
                aggregation.equals("COUNT") ? null : "usage.tokens",
                Map.of("channel", List.of("email", 1.5, true), "a.b", List.of("x")), List.of("a.b"), false, "tokens",
                "what it counts"));
        return new Meter(ids.newId(), account, definition, Instant.now().truncatedTo(ChronoUnit.MILLIS), null);
    }

    @Test
    void storesAMeterAndReadsItBackWhole() {
        AccountId account = newAccount();
        Meter meter = meter(account, "tokens", "SUM");
        assertThat(store().insert(meter)).isTrue();
        assertThat(store().findById(account, meter.id())).contains(meter);
        assertThat(store().findLiveByName(account, "tokens")).contains(meter);
        assertThat(store().findById(newAccount(), meter.id())).isEmpty();
    }

    @Test
    void namesAreUniqueAmongLiveMetersOfOneAccount() {
        AccountId account = newAccount();
        Meter first = meter(account, "tokens", "COUNT");
        assertThat(store().insert(first)).isTrue();
        assertThat(store().insert(meter(account, "tokens", "SUM"))).isFalse();
        assertThat(store().insert(meter(newAccount(), "tokens", "SUM"))).isTrue();
        Meter other = meter(account, "other", "COUNT");
        assertThat(store().insert(other)).isTrue();
        Meter renamed = new Meter(other.id(), account, first.definition(), other.createdAt(), null);
        assertThat(store().update(renamed)).isFalse();
        assertThat(store().findById(account, other.id())).contains(other);
        Meter deleted = new Meter(first.id(), account, first.definition(), first.createdAt(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        assertThat(store().update(deleted)).isTrue();
        assertThat(store().findById(account, first.id())).contains(deleted);
        assertThat(store().findLiveByName(account, "tokens")).isEmpty();
        assertThat(store().update(renamed)).isTrue();
        assertThat(store().findLiveByName(account, "tokens")).contains(renamed);
        // a deleted meter stays deleted
        assertThat(store().update(first)).isTrue();
        assertThat(store().findById(account, first.id())).contains(deleted);
    }

    @Test
    void concurrentCreatesOfOneNameLeaveOneLiveMeter() throws Exception {
        AccountId account = newAccount();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(() -> store().insert(meter(account, "same", "COUNT")));
            }
            int won = 0;
            for (Future<Boolean> f : pool.invokeAll(calls)) {
                won += f.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store().countLive(account, new MeterFilter(null, null, null))).isEqualTo(1);
    }

    @Test
    void listsLiveMetersInIdOrderFilteredAndPagedBothWays() {
        AccountId account = newAccount();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Meter m = meter(account, "m" + i, i % 2 == 0 ? "COUNT" : "MAX");
            store().insert(m);
            ids.add(m.id());
        }
        MeterFilter all = new MeterFilter(null, null, null);
        assertThat(store().findLive(account, all, null, null, 4)).extracting(Meter::id)
                .containsExactlyElementsOf(ids.subList(0, 4));
        assertThat(store().findLive(account, all, ids.get(1), null, 2)).extracting(Meter::id)
                .containsExactly(ids.get(2), ids.get(3));
        assertThat(store().findLive(account, all, null, ids.get(4), 2)).extracting(Meter::id)
                .containsExactly(ids.get(2), ids.get(3));
        MeterFilter max = new MeterFilter(null, "message-sent", Aggregation.MAX);
        assertThat(store().findLive(account, max, null, null, 10)).extracting(Meter::id)
                .containsExactly(ids.get(1), ids.get(3), ids.get(5));
        assertThat(store().countLive(account, max)).isEqualTo(3);
        assertThat(store().countLive(account, new MeterFilter("m2", null, null))).isEqualTo(1);
        assertThat(store().countLive(account, new MeterFilter(null, "other", null))).isZero();
    }
}
