package io.tcpgateway.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The accept pacer takes a tenth of a second's burst at once and the rest at the rate. */
class AcceptPacerTest {

    @Test
    void aBurstGoesAtOnceAndTheRestAtTheRate() {
        AcceptPacer pacer = new AcceptPacer(100); // one per 10 ms, bursts of 10
        long started = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            pacer.awaitTurn();
        }
        Duration burst = Duration.ofNanos(System.nanoTime() - started);
        for (int i = 0; i < 30; i++) {
            pacer.awaitTurn();
        }
        Duration all = Duration.ofNanos(System.nanoTime() - started);
        assertThat(burst).as("the first tenth of a second's worth").isLessThan(Duration.ofMillis(50));
        assertThat(all).as("30 more at 10 ms each").isBetween(Duration.ofMillis(280), Duration.ofSeconds(3));
    }

    @Test
    void noRateNoWait() {
        AcceptPacer pacer = new AcceptPacer(0);
        for (int i = 0; i < 100_000; i++) {
            assertThat(pacer.awaitTurn()).as("turn %d", i).isZero();
        }
        pacer.giveBack();
        assertThat(pacer.awaitTurn()).as("giving back changes nothing without a rate").isZero();
    }
}
