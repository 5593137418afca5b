package bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Broadcast load: {@code receivers} connections that only read, {@code senders} that each keep
 * {@code inflight} frames outstanding. A frame is delivered when every receiver has it; only then may
 * its sender send another. Frames are 32 bytes: "sender,sequence,padding\n". Receivers are read by one
 * selector thread, so the load generator stays small next to the server on the same cores.
 */
final class BroadcastLoad {

    static final int FRAME = 32;
    static final int WINDOW = 1024; // > inflight: per-sender ring of frames not yet everywhere

    record Result(double deliveriesPerSecond, double framesPerSecond, Histogram completion) {
    }

    private BroadcastLoad() {
    }

    static Result run(int port, int receivers, int senders, int inflight, double warmupSeconds, double seconds)
            throws Exception {
        return run(List.of(port), port, receivers, senders, inflight, warmupSeconds, seconds);
    }

    /** Receivers spread round-robin over {@code receiverPorts} (servers of one cluster), senders on {@code senderPort}. */
    static Result run(List<Integer> receiverPorts, int port, int receivers, int senders, int inflight,
            double warmupSeconds, double seconds) throws Exception {
        Selector selector = Selector.open();
        List<SocketChannel> receiving = new ArrayList<>();
        for (int i = 0; i < receivers; i++) {
            int receiverPort = receiverPorts.get(i % receiverPorts.size());
            SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", receiverPort));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, new Receiver(senders));
            receiving.add(channel);
        }
        List<Socket> sending = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            sending.add(socket);
        }
        Thread.sleep(1000); // let the server register every connection before the first frame

        Tracker tracker = new Tracker(senders, receivers, inflight);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread reader = Thread.ofPlatform().daemon().start(() -> readLoop(selector, tracker, running));
        List<Thread> writers = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            writers.add(Thread.ofPlatform().daemon().start(() -> sendLoop(sending.get(sender), sender, tracker, running)));
        }
        Thread.sleep((long) (warmupSeconds * 1000));
        tracker.reset();
        long start = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        long completed = tracker.completed.get();
        double elapsed = (System.nanoTime() - start) / 1e9;
        Histogram completion = tracker.histogram.copy();
        running.set(false);
        for (Socket socket : sending) {
            socket.close();
        }
        for (SocketChannel channel : receiving) {
            channel.close();
        }
        selector.wakeup();
        reader.join(5000);
        for (Thread writer : writers) {
            writer.join(5000);
        }
        selector.close();
        return new Result(completed * receivers / elapsed, completed / elapsed, completion);
    }

    private static void sendLoop(Socket socket, int sender, Tracker tracker, AtomicBoolean running) {
        try {
            OutputStream out = socket.getOutputStream();
            for (long sequence = 0; running.get(); sequence++) {
                if (!tracker.window[sender].tryAcquire(200, TimeUnit.MILLISECONDS)) {
                    sequence--;
                    continue;
                }
                tracker.sentAt[sender][(int) (sequence % WINDOW)] = System.nanoTime();
                out.write(frame(sender, sequence));
            }
        }
        catch (IOException | InterruptedException stopped) {
            // the run is over
        }
    }

    static byte[] frame(int sender, long sequence) {
        StringBuilder text = new StringBuilder().append(sender).append(',').append(sequence).append(',');
        while (text.length() < FRAME - 1) {
            text.append('x');
        }
        return text.append('\n').toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static final byte[] PONG = "PONG\n".getBytes(StandardCharsets.US_ASCII);

    private static void readLoop(Selector selector, Tracker tracker, AtomicBoolean running) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
        try {
            while (running.get()) {
                selector.select(100);
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    buffer.clear();
                    int n = ((SocketChannel) key.channel()).read(buffer);
                    if (n < 0) {
                        key.cancel();
                        continue;
                    }
                    buffer.flip();
                    if (((Receiver) key.attachment()).consume(buffer, tracker)) {
                        ((SocketChannel) key.channel()).write(ByteBuffer.wrap(PONG));
                    }
                }
            }
        }
        catch (IOException | RuntimeException stopped) {
            // the run is over
        }
    }

    /** Parses one receiver's byte stream into (sender, sequence) pairs, keeping a partial line. */
    static final class Receiver {

        private final byte[] line = new byte[FRAME];
        private int length;

        Receiver(int senders) {
        }

        /** Returns whether a line was not a frame (the heartbeat's PING: a receiver only reads, so it is pinged). */
        boolean consume(ByteBuffer bytes, Tracker tracker) {
            boolean pinged = false;
            while (bytes.hasRemaining()) {
                byte b = bytes.get();
                if (b != '\n') {
                    if (length < line.length) {
                        line[length++] = b;
                    }
                    continue;
                }
                if (length == 0 || line[0] < '0' || line[0] > '9') {
                    pinged |= length > 0;
                    length = 0;
                    continue;
                }
                int sender = 0;
                int i = 0;
                while (line[i] != ',') {
                    sender = sender * 10 + (line[i++] - '0');
                }
                long sequence = 0;
                i++;
                while (line[i] != ',') {
                    sequence = sequence * 10 + (line[i++] - '0');
                }
                length = 0;
                tracker.received(sender, sequence);
            }
            return pinged;
        }
    }

    /** Counts receivers per in-flight frame; a frame seen by all is complete and frees its sender's slot. */
    static final class Tracker {

        final Semaphore[] window;
        final long[][] sentAt;
        private final int[][] seenBy;
        private final int receivers;
        final AtomicLong completed = new AtomicLong();
        volatile Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);

        Tracker(int senders, int receivers, int inflight) {
            this.receivers = receivers;
            this.window = new Semaphore[senders];
            this.sentAt = new long[senders][WINDOW];
            this.seenBy = new int[senders][WINDOW];
            for (int s = 0; s < senders; s++) {
                window[s] = new Semaphore(inflight);
            }
        }

        /** Called by the single reader thread only. */
        void received(int sender, long sequence) {
            int slot = (int) (sequence % WINDOW);
            if (++seenBy[sender][slot] == receivers) {
                seenBy[sender][slot] = 0;
                histogram.recordValue(Math.min(System.nanoTime() - sentAt[sender][slot], histogram.getHighestTrackableValue()));
                completed.incrementAndGet();
                window[sender].release();
            }
        }

        void reset() {
            histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            completed.set(0);
        }
    }
}
