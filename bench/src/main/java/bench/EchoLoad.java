package bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop echo load: each connection keeps {@code inflight} frames outstanding, sending one more
 * for every one that comes back (all that came back in one read are answered with one write).
 * Frames are {@code size} bytes including the LF.
 */
final class EchoLoad {

    private EchoLoad() {
    }

    /** Frames per second echoed, measured after a warm-up. */
    static double run(int port, int connections, int inflight, int size, double warmupSeconds, double seconds)
            throws Exception {
        return run(port, connections, inflight, size, warmupSeconds, seconds, new byte[0]);
    }

    /** As above, each connection first sending {@code login} (an {@code AUTH} frame) and reading its {@code OK}. */
    static double run(int port, int connections, int inflight, int size, double warmupSeconds, double seconds,
            byte[] login) throws Exception {
        byte[] frames = new byte[inflight * size];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = (byte) ((i % size == size - 1) ? '\n' : 'a' + (i % 26));
        }
        LongAdder received = new LongAdder();
        List<Socket> sockets = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            if (login.length > 0) {
                socket.getOutputStream().write(login);
                if (!Arrays.equals(socket.getInputStream().readNBytes(3), "OK\n".getBytes())) {
                    throw new IOException("login refused");
                }
            }
            sockets.add(socket);
        }
        for (Socket socket : sockets) {
            threads.add(Thread.ofPlatform().daemon().start(() -> loop(socket, frames, size, received)));
        }
        Thread.sleep((long) (warmupSeconds * 1000));
        long start = received.sum();
        long t0 = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        long count = received.sum() - start;
        double elapsed = (System.nanoTime() - t0) / 1e9;
        for (Socket socket : sockets) {
            socket.close();
        }
        for (Thread thread : threads) {
            thread.join(5000);
        }
        return count / elapsed;
    }

    private static void loop(Socket socket, byte[] frames, int size, LongAdder received) {
        try {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            out.write(frames);
            byte[] buffer = new byte[64 * 1024];
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                int lines = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
                if (lines > 0) {
                    received.add(lines);
                    out.write(frames, 0, Math.min(lines, frames.length / size) * size);
                }
            }
        }
        catch (IOException closed) {
            // the run is over
        }
    }

    static byte[] line(String text) {
        byte[] bytes = Arrays.copyOf(text.getBytes(), text.length() + 1);
        bytes[text.length()] = '\n';
        return bytes;
    }
}
