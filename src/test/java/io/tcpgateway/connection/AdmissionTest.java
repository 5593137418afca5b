package io.tcpgateway.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.tcpgateway.connection.LoopbackPeers.Pair;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * A listener's {@code max-connections} slots and its {@code max-connections-per-source} slots: never
 * more taken than there are, freed exactly once.
 */
class AdmissionTest {

    private final LoopbackPeers peers = new LoopbackPeers(DataSize.ofMegabytes(1), 3);

    @AfterEach
    void close() throws IOException {
        peers.close();
    }

    @RepeatedTest(10)
    void concurrentArrivalsTakeNoMoreSlotsThanThereAre() throws Exception {
        List<Peer> arriving = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            arriving.add(peers.connect().peer());
        }
        assertThat(admitAllAtOnce(peers.listener, arriving)).isEqualTo(3);
        assertThat(peers.listener.peers()).hasSize(3).allMatch(Peer::acceptsInput);
        assertThat(arriving).filteredOn((peer) -> !peers.listener.peers().contains(peer))
                .as("the refused take no input").noneMatch(Peer::acceptsInput);
    }

    @Test
    void aReleasedSlotIsFreedOnceAndCanBeTakenAgain() {
        Pair a = peers.connect();
        Pair b = peers.connect();
        Pair c = peers.connect();
        Pair d = peers.connect();
        assertThat(peers.listener.admit(a.peer())).isNull();
        assertThat(peers.listener.admit(b.peer())).isNull();
        assertThat(peers.listener.admit(c.peer())).isNull();
        assertThat(peers.listener.admit(d.peer())).as("full").isEqualTo(CloseReason.REJECTED);

        assertThat(peers.listener.release(b.peer())).isTrue();
        assertThat(peers.listener.release(b.peer())).as("a second release frees nothing").isFalse();
        assertThat(peers.listener.release(d.peer())).as("never admitted: nothing to free").isFalse();
        assertThat(peers.listener.peer(b.peer().id())).isNull();

        assertThat(peers.listener.admit(d.peer())).isNull();
        assertThat(peers.listener.peers()).containsExactlyInAnyOrder(a.peer(), c.peer(), d.peer());
        assertThat(peers.listener.admit(peers.connect().peer())).as("full again, not over").isEqualTo(CloseReason.REJECTED);
    }

    @Test
    void oneAddressTakesAtMostItsShareAndOthersStillGetIn() throws IOException {
        try (LoopbackPeers limited = new LoopbackPeers(DataSize.ofMegabytes(1), 10, 2)) {
            Peer first = limited.connect().peer();
            Peer second = limited.connect().peer();
            Peer third = limited.connect().peer();
            assertThat(limited.listener.admit(first)).isNull();
            assertThat(limited.listener.admit(second)).isNull();
            assertThat(limited.listener.admit(third)).as("a third from 127.0.0.1").isEqualTo(CloseReason.SOURCE_LIMIT);
            Peer elsewhere = limited.connect().peer();
            elsewhere.relayedFor(new InetSocketAddress("203.0.113.5", 4000)); // as a PROXY header would say
            assertThat(limited.listener.admit(elsewhere)).as("another address").isNull();
            assertThat(limited.listener.openFrom("127.0.0.1")).isEqualTo(2);

            assertThat(limited.listener.release(first)).isTrue();
            assertThat(limited.listener.openFrom("127.0.0.1")).isEqualTo(1);
            assertThat(limited.listener.admit(third)).as("a slot freed").isNull();
            limited.listener.release(second);
            limited.listener.release(third);
            limited.listener.release(elsewhere);
            assertThat(limited.listener.openFrom("127.0.0.1")).as("no entry left behind").isZero();
        }
    }

    @RepeatedTest(5)
    void concurrentArrivalsFromOneAddressTakeNoMoreThanItsShare() throws Exception {
        try (LoopbackPeers limited = new LoopbackPeers(DataSize.ofMegabytes(1), 100, 3)) {
            List<Peer> arriving = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                arriving.add(limited.connect().peer());
            }
            assertThat(admitAllAtOnce(limited.listener, arriving)).isEqualTo(3);
            assertThat(limited.listener.openFrom("127.0.0.1")).isEqualTo(3);
        }
    }

    /** Each peer on a thread of its own, all released at once; how many were admitted. */
    private static int admitAllAtOnce(GatewayListener listener, List<Peer> arriving) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger admitted = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (Peer peer : arriving) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                if (listener.admit(peer) == null) {
                    admitted.incrementAndGet();
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        return admitted.get();
    }
}
