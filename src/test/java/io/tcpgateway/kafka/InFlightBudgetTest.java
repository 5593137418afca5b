package io.tcpgateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The gateway-wide bound on frames in flight to Kafka: readers wait for room, oldest first, and may give up. */
class InFlightBudgetTest {

    @Test
    void holdsUpToTheBoundAndALargerFrameGoesAloneWhenNothingElseIsInFlight() {
        InFlightBudget budget = new InFlightBudget(100);
        assertThat(budget.tryHold(60)).isTrue();
        assertThat(budget.tryHold(40)).isTrue();
        assertThat(budget.tryHold(1)).as("full").isFalse();
        budget.release(100);
        assertThat(budget.tryHold(500)).as("alone, however large").isTrue();
        assertThat(budget.tryHold(1)).isFalse();
        assertThat(budget.held()).isEqualTo(500);
    }

    @Test
    void aWaitingReaderGoesOnOnceKafkaStoredEnoughAndWaitersGoInTheOrderTheyCame() throws Exception {
        InFlightBudget budget = new InFlightBudget(100);
        assertThat(budget.tryHold(100)).isTrue();
        List<String> order = new CopyOnWriteArrayList<>();
        Thread first = Thread.ofVirtual().start(() -> {
            budget.hold(50, () -> false);
            order.add("first");
        });
        await().until(() -> first.getState() == Thread.State.TIMED_WAITING || first.getState() == Thread.State.WAITING);
        Thread second = Thread.ofVirtual().start(() -> {
            budget.hold(50, () -> false);
            order.add("second");
        });
        await().until(() -> second.getState() == Thread.State.TIMED_WAITING || second.getState() == Thread.State.WAITING);
        assertThat(order).isEmpty();
        budget.release(50);
        await().until(() -> order.size() == 1);
        assertThat(order).containsExactly("first");
        budget.release(50);
        first.join();
        second.join();
        assertThat(order).containsExactly("first", "second");
        assertThat(budget.held()).isEqualTo(100);
    }

    @Test
    void aReaderWhoseConnectionClosesWhileWaitingHoldsNothing() throws Exception {
        InFlightBudget budget = new InFlightBudget(10);
        assertThat(budget.tryHold(10)).isTrue();
        AtomicBoolean closed = new AtomicBoolean();
        AtomicBoolean held = new AtomicBoolean(true);
        Thread reader = Thread.ofVirtual().start(() -> held.set(budget.hold(5, closed::get)));
        closed.set(true);
        reader.join();
        assertThat(held).isFalse();
        assertThat(budget.held()).isEqualTo(10);
    }
}
