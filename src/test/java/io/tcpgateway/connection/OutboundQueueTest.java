package io.tcpgateway.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.connection.LoopbackPeers.Pair;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The outbound queue's invariants, on real loopback sockets: frames offered from any number of threads
 * all arrive, in each offering thread's order, with one writer at a time and none left behind when an
 * offer races the writer's exit; the goodbye is always the last frame; a backlog over the bound closes
 * the peer; a stalled producer waits until the receiver catches up or the deadline passes.
 */
class OutboundQueueTest {

    private static final int SMALL_BUFFERS = 8 * 1024;

    private final LoopbackPeers peers = new LoopbackPeers(DataSize.ofMegabytes(1), 100);
    private final LoopbackPeers roomy = new LoopbackPeers(DataSize.ofMegabytes(64), 100);

    @AfterEach
    void close() throws IOException {
        peers.close();
        roomy.close();
    }

    @Test
    void framesFromManyThreadsAllArriveInEachThreadsOrder() throws Exception {
        Pair pair = peers.connect();
        int threads = 8;
        int each = 5_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> offering = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            offering.add(Thread.ofPlatform().start(() -> {
                awaitQuietly(start);
                for (int i = 0; i < each; i++) {
                    // Small pauses let the writer run dry and end often: the offer/exit race happens at every gap.
                    while (pair.peer().pendingBytes() > 64 * 1024) {
                        Thread.onSpinWait();
                    }
                    assertThat(pair.peer().sendPayload(line(thread, i))).isTrue();
                }
            }));
        }
        start.countDown();
        BufferedReader in = reader(pair);
        int[] next = new int[threads];
        for (int n = 0; n < threads * each; n++) {
            String line = in.readLine();
            assertThat(line).as("frame %d of %d", n, threads * each).isNotNull();
            String[] parts = line.split("-");
            int thread = Integer.parseInt(parts[0]);
            assertThat(Integer.parseInt(parts[1])).as("thread %d's order", thread).isEqualTo(next[thread]++);
        }
        for (Thread thread : offering) {
            thread.join();
        }
        assertThat(pair.peer().pendingBytes()).isZero();
        assertThat(pair.peer().framesOut()).isEqualTo(threads * each);
        assertThat(peers.writerRuns.get()).as("batched: far fewer writer runs than frames").isLessThan(threads * each);
    }

    /**
     * Two threads offer until their offers are refused, racing the goodbye. At most 200 000 short frames each
     * (under 4 MB) against a 64 MiB bound: the race is with the goodbye, never with a slow-consumer close
     * (the client reads nothing until the kick, and two threads fill 1 MiB faster than the kick can come).
     */
    @RepeatedTest(20)
    void theGoodbyeIsTheLastFrameEvenWhenOffersRaceIt() throws Exception {
        Pair pair = roomy.connect();
        CountDownLatch offering = new CountDownLatch(2);
        List<Thread> racers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int thread = t;
            racers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 200_000 && (pair.peer().sendPayload(line(thread, i)) || i < 100); i++) {
                    if (i == 100) {
                        offering.countDown();
                    }
                }
            }));
        }
        offering.await(10, TimeUnit.SECONDS);
        pair.peer().closeSaying(CloseReason.KICKED);
        List<String> received = new ArrayList<>();
        BufferedReader in = reader(pair);
        for (String line; (line = in.readLine()) != null;) {
            received.add(line);
        }
        for (Thread racer : racers) {
            racer.join();
        }
        assertThat(received).last().isEqualTo("ERROR kicked");
        assertThat(received).filteredOn("ERROR kicked"::equals).hasSize(1);
        assertThat(pair.peer().closeReason()).isEqualTo(CloseReason.KICKED);
    }

    /** Another pod's read burst: all its frames queued first, one writer start, out in order. */
    @Test
    void severalFramesOfferedTogetherStartTheWriterOnceAndArriveInOrder() throws Exception {
        Pair pair = peers.connect();
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            frames.add(("burst " + i + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(pair.peer().sendAllFramed(frames)).isEqualTo(8);
        BufferedReader in = reader(pair);
        for (int i = 0; i < 8; i++) {
            assertThat(in.readLine()).isEqualTo("burst " + i);
        }
        assertThat(peers.writerRuns.get()).isEqualTo(1);
    }

    @Test
    void framesOfferedTogetherStopAtTheBoundAndTheRestAreNotTaken() {
        Pair receiver = peers.connect();
        byte[] frame = new byte[600 * 1024]; // two of these exceed the 1 MB bound
        frame[frame.length - 1] = '\n';
        byte[] small = { 'x', '\n' };
        assertThat(receiver.peer().sendAllFramed(List.of(frame, frame, small))).isEqualTo(1);
        assertThat(receiver.peer().closeReason()).isEqualTo(CloseReason.SLOW_CONSUMER);
        assertThat(receiver.peer().sendAllFramed(List.of(small))).as("closed: nothing more taken").isZero();
    }

    @Test
    void aBacklogOverTheBoundIsRefusedAndClosesThePeerAsSlowConsumer() {
        Pair producer = peers.connect();
        Pair receiver = peers.connect();
        byte[] frame = new byte[600 * 1024]; // two of these exceed the 1 MB bound
        frame[frame.length - 1] = '\n';
        // Within one read burst nothing is written yet, so the backlog is exactly what was offered.
        assertThat(receiver.peer().sendFramed(frame, producer.peer())).isTrue();
        assertThat(receiver.peer().sendFramed(frame, producer.peer())).isFalse();
        assertThat(receiver.peer().closeReason()).isEqualTo(CloseReason.SLOW_CONSUMER);
        assertThat(receiver.peer().sendFramed(new byte[] { 'x', '\n' })).as("closed: nothing more taken").isFalse();
        assertThat(producer.peer().closeReason()).as("the producer is not punished").isNull();
    }

    @Test
    void whatAReaderQueuedForItsOwnConnectionItWritesItselfAtTheEndOfTheBurst() throws Exception {
        Pair pair = peers.connect();
        Peer peer = pair.peer();
        for (int i = 0; i < 3; i++) {
            assertThat(peer.sendFramed(framed(0, i), peer)).isTrue();
        }
        assertThat(peer.pendingBytes()).as("deferred until the burst ends").isPositive();
        peer.connection().burst().run();
        assertThat(peer.pendingBytes()).as("written by the reader itself, before run() returned").isZero();
        assertThat(peers.writerRuns.get()).as("no writer thread").isZero();
        BufferedReader in = reader(pair);
        assertThat(List.of(in.readLine(), in.readLine(), in.readLine())).containsExactly("0-0", "0-1", "0-2");
    }

    @Test
    void aReaderHandsItsOwnBacklogToAWriterWhenMoreThanABatchIsQueued() throws Exception {
        Pair pair = roomy.connect();
        Peer peer = pair.peer();
        byte[] kilobyte = new byte[1024];
        kilobyte[kilobyte.length - 1] = '\n';
        int frames = OutboundQueue.BATCH_BYTES / kilobyte.length + 10;
        for (int i = 0; i < frames; i++) {
            assertThat(peer.sendFramed(kilobyte, peer)).isTrue();
        }
        peer.connection().burst().run();
        assertThat(roomy.writerRuns.get()).as("a writer thread took it").isEqualTo(1);
        InputStream in = pair.client().getInputStream();
        pair.client().setSoTimeout(20_000);
        assertThat(in.readNBytes(frames * kilobyte.length)).hasSize(frames * kilobyte.length);
        // counted once the write returned, which may be just after the client has the bytes
        await().untilAsserted(() -> assertThat(peer.framesOut()).isEqualTo(frames));
    }

    @Test
    void aStalledProducerWaitsUntilItsDeadlineWhileTheReceiverDoesNotRead() throws Exception {
        Pair receiver = peers.connect(SMALL_BUFFERS);
        OutboundQueue queue = fillOverHalf(receiver);
        long started = System.nanoTime();
        queue.awaitRoom(started + Duration.ofMillis(200).toNanos());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
        assertThat(queue.isStalling()).isTrue();
    }

    @Test
    void aStalledProducerIsWokenOnceTheReceiverCatchesUp() throws Exception {
        Pair receiver = peers.connect(SMALL_BUFFERS);
        OutboundQueue queue = fillOverHalf(receiver);
        Thread reading = Thread.ofPlatform().start(() -> drainQuietly(receiver));
        long started = System.nanoTime();
        queue.awaitRoom(started + Duration.ofSeconds(30).toNanos());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(queue.isStalling()).isFalse();
        receiver.client().close();
        reading.join();
    }

    /**
     * Offers 16 KiB frames to a receiver that does not read (small socket buffers) until its queue is
     * well over half its bound: 3/4 of it, so the few KiB the writer still gets into the socket do not
     * take it back under half.
     */
    private static OutboundQueue fillOverHalf(Pair receiver) throws Exception {
        OutboundQueue queue = receiver.peer().outboundQueue();
        byte[] frame = new byte[16 * 1024];
        frame[frame.length - 1] = '\n';
        while (queue.pendingBytes() < 768 * 1024) {
            // The writer fills the socket buffers first; the queue grows once they are full.
            assertThat(receiver.peer().sendFramed(frame)).as("kept under the bound").isTrue();
        }
        return queue;
    }

    private static void drainQuietly(Pair pair) {
        byte[] sink = new byte[64 * 1024];
        try {
            while (pair.client().getInputStream().read(sink) >= 0) {
                // discard
            }
        }
        catch (IOException closed) {
            // the test closed the socket
        }
    }

    private static BufferedReader reader(Pair pair) throws IOException {
        pair.client().setSoTimeout(20_000);
        return new BufferedReader(new InputStreamReader(pair.client().getInputStream(), StandardCharsets.UTF_8));
    }

    private static byte[] framed(int thread, int i) {
        return (thread + "-" + i + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] line(int thread, int i) {
        return (thread + "-" + i).getBytes(StandardCharsets.US_ASCII);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
