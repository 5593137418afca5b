package io.tcpgateway.principal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The offline queue in the process: order, the listener a message waits for, bounds, expiry, one taker. */
class MemoryPrincipalQueueTest {

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final MovableClock clock = new MovableClock();
    final MemoryPrincipalQueue queue = new MemoryPrincipalQueue(new QueueBounds(3, 100), 250, clock,
            new PrincipalMetrics(meters));

    @Test
    void aLoginTakesItsListenersMessagesAndThoseForAnyListenerInTheOrderQueued() {
        assertThat(queue.offer("dev", "chat", "1", Duration.ofHours(1))).isNull();
        assertThat(queue.offer("dev", PrincipalQueue.ANY_LISTENER, "2", Duration.ofHours(1))).isNull();
        assertThat(queue.offer("dev", "other", "x", Duration.ofHours(1))).isNull();
        assertThat(queue.offer("dev", "chat", "3", Duration.ofHours(1))).isNull();
        assertThat(queue.count("dev")).isEqualTo(4);
        assertThat(queue.take("dev", "chat")).containsExactly("1", "2", "3");
        assertThat(queue.take("dev", "chat")).isEmpty();
        assertThat(queue.count("dev")).isEqualTo(1);
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.drop("dev")).isEqualTo(1);
        assertThat(queue.size()).isZero();
    }

    @Test
    void eachListenersQueueHasItsOwnBoundsAndTheProcessATotal() {
        for (int i = 0; i < 3; i++) {
            assertThat(queue.offer("dev", "chat", "m" + i, Duration.ofHours(1))).isNull();
        }
        assertThat(queue.offer("dev", "chat", "m3", Duration.ofHours(1))).contains("max-messages (3)");
        assertThat(queue.offer("dev", "other", "y".repeat(90), Duration.ofHours(1))).isNull();
        assertThat(queue.offer("dev", "other", "y".repeat(20), Duration.ofHours(1))).contains("max-bytes (100)")
                .contains("holds 90 bytes");
        assertThat(queue.offer("dev2", "chat", "z".repeat(90), Duration.ofHours(1))).isNull();
        assertThat(queue.offer("dev3", "chat", "z".repeat(90), Duration.ofHours(1))).contains("max-total-bytes (250");
        assertThat(queue.take("dev", "chat")).containsExactly("m0", "m1", "m2"); // nothing refused was kept
    }

    @Test
    void expiredMessagesAreDroppedCountedAndNeverTaken() {
        queue.offer("dev", "chat", "short", Duration.ofSeconds(1));
        queue.offer("dev", "chat", "long", Duration.ofMinutes(1));
        queue.offer("idle", "chat", "forgotten", Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(2));
        assertThat(queue.take("dev", "chat")).containsExactly("long");
        assertThat(queue.size()).isEqualTo(1); // the idle principal's, until a sweep
        queue.sweep();
        assertThat(queue.size()).isZero();
        assertThat(meters.find("gateway.principals.messages").tag("result", "expired").counter().count()).isEqualTo(2);
        // What expired frees its room.
        for (int i = 0; i < 3; i++) {
            assertThat(queue.offer("idle", "chat", "again " + i, Duration.ofSeconds(1))).isNull();
        }
    }

    @Test
    void twoLoginsAtOnceTakeEachMessageOnce() throws Exception {
        for (int round = 0; round < 200; round++) {
            queue.offer("dev", "chat", "a", Duration.ofHours(1));
            queue.offer("dev", "chat", "b", Duration.ofHours(1));
            ConcurrentLinkedQueue<String> taken = new ConcurrentLinkedQueue<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> takers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                takers.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    taken.addAll(queue.take("dev", "chat"));
                }));
            }
            start.countDown();
            for (Thread taker : takers) {
                taker.join();
            }
            assertThat(taken).containsExactly("a", "b");
        }
    }

    static final class MovableClock extends Clock {

        private Instant now = Instant.parse("2026-12-03T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
