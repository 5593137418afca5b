package bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;

/**
 * Load on a {@code forward-acks} listener: each connection keeps up to {@code window} frames not yet acknowledged,
 * sending more as {@code ACK <n>} lines come back, so what is counted is frames Kafka stored; and the latency from
 * sending one frame to its {@code ACK}, one connection, one frame at a time.
 */
final class ForwardLoad {

    private ForwardLoad() {
    }

    /** Frames per second stored (acknowledged), measured after a warm-up. */
    static double run(int port, int connections, int window, int size, double warmupSeconds, double seconds) throws Exception {
        byte[] frame = EchoLoad.line("f".repeat(size - 1));
        AtomicLongArray acked = new AtomicLongArray(connections);
        List<Socket> sockets = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            sockets.add(socket);
            int index = c;
            threads.add(Thread.ofPlatform().daemon().start(() -> loop(socket, frame, window, acked, index)));
        }
        Thread.sleep((long) (warmupSeconds * 1000));
        long start = sum(acked);
        long t0 = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        long count = sum(acked) - start;
        double elapsed = (System.nanoTime() - t0) / 1e9;
        for (Socket socket : sockets) {
            socket.close();
        }
        for (Thread thread : threads) {
            thread.join(5000);
        }
        return count / elapsed;
    }

    private static long sum(AtomicLongArray values) {
        long sum = 0;
        for (int i = 0; i < values.length(); i++) {
            sum += values.get(i);
        }
        return sum;
    }

    private static void loop(Socket socket, byte[] frame, int window, AtomicLongArray acked, int index) {
        try {
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            OutputStream out = socket.getOutputStream();
            long sent = 0;
            byte[] burst = new byte[frame.length * window];
            for (int i = 0; i < window; i++) {
                System.arraycopy(frame, 0, burst, i * frame.length, frame.length);
            }
            out.write(burst);
            sent = window;
            while (true) {
                long n = readAck(in);
                acked.set(index, n);
                int more = (int) (n + window - sent);
                if (more > 0) {
                    out.write(burst, 0, more * frame.length);
                    sent += more;
                }
            }
        }
        catch (IOException closed) {
            // the run is over
        }
    }

    /** The number of the next {@code ACK <n>} line (other lines, such as PING, are skipped). */
    private static long readAck(InputStream in) throws IOException {
        while (true) {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("closed");
                }
                line.append((char) b);
            }
            if (line.toString().startsWith("ACK ")) {
                return Long.parseLong(line.substring(4));
            }
        }
    }

    /** From writing one frame to reading its ACK, one connection, one frame at a time, in nanoseconds. */
    static Histogram latency(int port, int warmup, int iterations) throws Exception {
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        byte[] frame = EchoLoad.line("x".repeat(31));
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 256);
            for (int i = 0; i < warmup + iterations; i++) {
                long start = System.nanoTime();
                out.write(frame);
                long n = readAck(in);
                long took = System.nanoTime() - start;
                if (n != i + 1) {
                    throw new IllegalStateException("ACK " + n + " for frame " + (i + 1));
                }
                if (i >= warmup) {
                    histogram.recordValue(Math.min(took, histogram.getHighestTrackableValue()));
                }
            }
        }
        return histogram;
    }
}
