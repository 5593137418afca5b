package io.tcpgateway.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.framing.FrameTimeoutException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The gateway-wide budget on its own: bounded, waiters served those holding least first, waits bounded. */
class InboundBudgetTest {

    @Test
    void neverHoldsMoreThanItsBound() {
        InboundBudget budget = new InboundBudget(1000, Duration.ofSeconds(1));
        assertThat(budget.tryHold(600)).isTrue();
        assertThat(budget.tryHold(500)).isFalse();
        assertThat(budget.tryHold(400)).isTrue();
        assertThat(budget.heldBytes()).isEqualTo(1000);
        budget.release(600);
        assertThat(budget.tryHold(500)).isTrue();
        assertThat(budget.heldBytes()).isEqualTo(900);
    }

    @Test
    void givenBackBytesGoToTheWaiterHoldingTheLeastFirst() throws Exception {
        InboundBudget budget = new InboundBudget(1000, Duration.ofSeconds(10));
        assertThat(budget.tryHold(1000)).isTrue();
        List<String> served = new CopyOnWriteArrayList<>();
        Thread large = Thread.ofVirtual().start(() -> holdOrFail(budget, 300, 50_000, "large", served));
        await().until(() -> budget.waitingReaders() == 1);
        Thread small = Thread.ofVirtual().start(() -> holdOrFail(budget, 300, 10, "small", served));
        await().until(() -> budget.waitingReaders() == 2);
        budget.release(300);
        await().until(() -> served.size() == 1);
        assertThat(served).containsExactly("small");
        assertThat(budget.waitingReaders()).isEqualTo(1);
        budget.release(300);
        small.join();
        large.join();
        assertThat(served).containsExactly("small", "large");
        assertThat(budget.pauses()).isEqualTo(2);
    }

    @Test
    void aWaitEndsWithAFrameTimeoutOrWhenTheConnectionCloses() {
        InboundBudget budget = new InboundBudget(100, Duration.ofMillis(200));
        assertThat(budget.tryHold(100)).isTrue();
        long started = System.nanoTime();
        assertThatThrownBy(() -> budget.hold(50, 0, () -> false)).isInstanceOf(FrameTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(5));
        AtomicBoolean closed = new AtomicBoolean(true);
        assertThatThrownBy(() -> budget.hold(50, 0, closed::get)).isInstanceOf(IOException.class)
                .isNotInstanceOf(FrameTimeoutException.class);
        assertThat(budget.waitingReaders()).isZero();
        assertThat(budget.heldBytes()).as("nothing held by the failed waits").isEqualTo(100);
    }

    private static void holdOrFail(InboundBudget budget, int bytes, long alreadyHeld, String name, List<String> served) {
        try {
            budget.hold(bytes, alreadyHeld, () -> false);
            served.add(name);
        }
        catch (IOException ex) {
            served.add(name + " failed: " + ex);
        }
    }
}
