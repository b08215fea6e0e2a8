package dev.usageevents.rest.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkersTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void everyItemOnceAndTheResultsInTheItemsOrder() {
        List<Integer> items = IntStream.range(0, 50).boxed().toList();
        assertThat(Workers.each(items, 3, i -> i * 10, pool))
                .containsExactlyElementsOf(items.stream().map(i -> i * 10).toList());
    }

    @Test
    void theLanesRunAtOnce() {
        // each item waits for the other: done only if two lanes run them side by side
        CyclicBarrier both = new CyclicBarrier(2);
        List<String> results = Workers.each(List.of("a", "b"), 2, item -> {
            try {
                both.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return item;
        }, pool);
        assertThat(results).containsExactly("a", "b");
    }

    @Test
    void aPoolThatRunsNothingOrRefusesOnlyMakesItSlower() {
        assertThat(Workers.each(List.of(1, 2, 3), 3, i -> -i, task -> { })).containsExactly(-1, -2, -3);
        assertThat(Workers.each(List.of(1, 2, 3), 3, i -> -i, task -> {
            throw new RejectedExecutionException("full");
        })).containsExactly(-1, -2, -3);
    }

    @Test
    void whatAnItemThrewIsThrownOnceTheOthersAreDone() {
        List<Integer> items = IntStream.range(0, 20).boxed().toList();
        assertThatThrownBy(() -> Workers.each(items, 4, i -> {
            if (i == 7) {
                throw new IllegalArgumentException("item 7");
            }
            return i;
        }, pool)).isInstanceOf(IllegalArgumentException.class).hasMessage("item 7");
    }
}
