package bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** One connection, one frame in flight: the round trip of a 32-byte echo, in nanoseconds. */
final class LatencyLoad {

    private LatencyLoad() {
    }

    static Histogram run(int port, int warmup, int iterations) throws Exception {
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(1), 3);
        byte[] frame = EchoLoad.line("x".repeat(31));
        byte[] reply = new byte[frame.length];
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < warmup + iterations; i++) {
                long start = System.nanoTime();
                out.write(frame);
                if (in.readNBytes(reply, 0, reply.length) != reply.length) {
                    throw new IllegalStateException("connection closed");
                }
                long took = System.nanoTime() - start;
                if (i >= warmup) {
                    histogram.recordValue(Math.min(took, histogram.getHighestTrackableValue()));
                }
            }
        }
        return histogram;
    }
}
