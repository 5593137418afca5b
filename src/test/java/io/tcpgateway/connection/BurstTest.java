package io.tcpgateway.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.tcpgateway.connection.LoopbackPeers.Pair;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * A reader's burst: what its frames queue to other peers is written once the burst has been handled,
 * with one writer start per receiver; and a burst that left a receiver over half its backlog holds
 * the producer back, at most {@code max-stall} (50 ms here).
 */
class BurstTest {

    private final LoopbackPeers peers = new LoopbackPeers(DataSize.ofMegabytes(1), 100);

    @AfterEach
    void close() throws IOException {
        peers.close();
    }

    @Test
    void eachReceiversWriterStartsOnceWhenTheBurstEnds() throws Exception {
        Pair producer = peers.connect();
        Pair first = peers.connect();
        Pair second = peers.connect();
        for (int i = 0; i < 8; i++) {
            byte[] frame = ("frame " + i + "\n").getBytes(StandardCharsets.US_ASCII);
            first.peer().sendFramed(frame, producer.peer());
            second.peer().sendFramed(frame, producer.peer());
        }
        assertThat(peers.writerRuns.get()).as("nothing written during the burst").isZero();
        assertThat(first.peer().pendingBytes()).isEqualTo(8 * "frame 0\n".length());

        assertThat(producer.peer().connection().burst().run()).as("nothing answered the producer").isFalse();

        assertThat(peers.writerRuns.get()).as("one writer per receiver").isEqualTo(2);
        for (Pair receiver : new Pair[] { first, second }) {
            BufferedReader in = reader(receiver);
            for (int i = 0; i < 8; i++) {
                assertThat(in.readLine()).isEqualTo("frame " + i);
            }
        }
    }

    /** What makes the reader let others run before its next read: the client was answered, its next frame is coming. */
    @Test
    void aBurstThatAnsweredTheProducerSaysSo() throws Exception {
        Pair producer = peers.connect();
        Burst burst = producer.peer().connection().burst();
        assertThat(burst.run()).as("an empty burst").isFalse();

        producer.peer().sendFramed("PONG\n".getBytes(StandardCharsets.US_ASCII), producer.peer());
        assertThat(burst.run()).as("a burst that queued a PONG for its own client").isTrue();
        assertThat(reader(producer).readLine()).isEqualTo("PONG");
        assertThat(burst.run()).as("the next, empty, burst").isFalse();
    }

    /** The cluster relay's hook: a sender's frames leave for the other pods in one message per burst. */
    @Test
    void whatTheFlowLeftForTheEndOfTheBurstRunsOnceWhenItEndsBeforeTheWritersStart() throws Exception {
        Pair producer = peers.connect();
        Pair receiver = peers.connect();
        List<String> ran = new ArrayList<>();
        receiver.peer().sendFramed("one\n".getBytes(StandardCharsets.US_ASCII), producer.peer());
        producer.peer().atEndOfReadBurst(() -> ran.add("relay, writers started: " + peers.writerRuns.get()));
        producer.peer().atEndOfReadBurst(() -> ran.add("second"));
        assertThat(ran).as("not during the burst").isEmpty();

        producer.peer().connection().burst().run();
        assertThat(ran).containsExactly("relay, writers started: 0", "second");
        assertThat(reader(receiver).readLine()).isEqualTo("one");
        producer.peer().connection().burst().run();
        assertThat(ran).as("once").hasSize(2);

        producer.peer().atEndOfReadBurst(() -> ran.add("at the reader's end"));
        producer.peer().connection().burst().flush();
        assertThat(ran).last().isEqualTo("at the reader's end");
    }

    @Test
    void anEndTaskThatFailsDoesNotRunAgainNorKeepTheOthersFromTheNextBurst() {
        Pair producer = peers.connect();
        Burst burst = producer.peer().connection().burst();
        List<String> ran = new ArrayList<>();
        producer.peer().atEndOfReadBurst(() -> {
            ran.add("failing");
            throw new IllegalStateException("boom");
        });
        assertThatIllegalStateException().isThrownBy(burst::run);
        producer.peer().atEndOfReadBurst(() -> ran.add("next"));
        burst.run();
        assertThat(ran).containsExactly("failing", "next");
    }

    @Test
    void aReceiverOverHalfItsBacklogHoldsTheProducerForAtMostMaxStall() {
        Pair producer = peers.connect();
        Pair receiver = peers.connect(8 * 1024); // small socket buffers, never reads
        byte[] frame = new byte[16 * 1024];
        frame[frame.length - 1] = '\n';
        // Each burst queues 64 KiB; once the socket buffers are full the backlog passes half its bound.
        while (receiver.peer().outboundQueue().pendingBytes() < 768 * 1024) {
            for (int i = 0; i < 4; i++) {
                receiver.peer().sendFramed(frame, producer.peer());
            }
            producer.peer().connection().burst().run();
        }
        long started = System.nanoTime();
        receiver.peer().sendFramed(frame, producer.peer());
        producer.peer().connection().burst().run();
        Duration stalled = Duration.ofNanos(System.nanoTime() - started);

        assertThat(stalled).isGreaterThanOrEqualTo(Duration.ofMillis(45)).isLessThan(Duration.ofSeconds(2));
        assertThat(peers.listener.stats().producerStalls()).isPositive();
        assertThat(receiver.peer().closeReason()).as("under its bound: still open").isNull();
    }

    private static BufferedReader reader(Pair pair) throws IOException {
        pair.client().setSoTimeout(10_000);
        return new BufferedReader(new InputStreamReader(pair.client().getInputStream(), StandardCharsets.US_ASCII));
    }
}
