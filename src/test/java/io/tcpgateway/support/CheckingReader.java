package io.tcpgateway.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A well-behaved client of a broadcast listener: it reads everything, answers every PING with PONG, and
 * checks that the numbered frames of a {@link Flooder} arrive each one, in order. It remembers the last
 * line it read before the server closed the connection (a goodbye, say). It parses lines straight from
 * the socket in large reads: hundreds of them in one test JVM must keep up with a flood.
 */
public final class CheckingReader implements AutoCloseable {

    private final TcpTestClient client;
    private final Thread thread;
    private volatile long next;
    private volatile long pings;
    private volatile String lastLine;
    private volatile boolean lastWasFrame;
    private volatile boolean ended;
    private volatile String endedBy = "end of stream";
    private final AtomicReference<String> problem = new AtomicReference<>();

    private CheckingReader(TcpTestClient client) {
        this.client = client;
        // A platform thread: the OS time-slices hundreds of them fairly, as it would separate clients.
        this.thread = Thread.ofPlatform().name("checking-reader").daemon().start(this::readAll);
    }

    public static CheckingReader connect(int port) {
        return new CheckingReader(TcpTestClient.connect(port));
    }

    /**
     * With a fixed 64 KiB receive buffer: many readers on one machine then hold a bounded amount in
     * their kernels' buffers, so what they have to read after a burst depends on the gateway's
     * backlog bound, not on how far TCP autotuning grew their windows.
     */
    public static CheckingReader connectWithSmallWindow(int port) {
        return new CheckingReader(TcpTestClient.connectWithReceiveBuffer(port, 64 * 1024));
    }

    private void readAll() {
        try {
            InputStream in = client.socket().getInputStream();
            byte[] buf = new byte[64 * 1024];
            int length = 0;
            int n;
            while ((n = in.read(buf, length, buf.length - length)) > 0) {
                length += n;
                int lineStart = 0;
                for (int i = lineStart; i < length; i++) {
                    if (buf[i] == '\n') {
                        line(buf, lineStart, i);
                        lineStart = i + 1;
                    }
                }
                System.arraycopy(buf, lineStart, buf, 0, length - lineStart);
                length -= lineStart;
                if (length == buf.length) {
                    throw new IOException("a line longer than " + buf.length + " bytes");
                }
            }
        }
        catch (SocketException reset) {
            endedBy = reset.toString(); // closed by the server with a reset: ended all the same
        }
        catch (IOException | UncheckedIOException ex) {
            problem.compareAndSet(null, "read failed after frame " + (next - 1) + ": " + ex);
        }
        finally {
            ended = true;
            client.close(); // as a well-behaved client does at the server's end of stream
        }
    }

    private void line(byte[] buf, int start, int end) {
        if (end - start > 1 && buf[start] == 'F') {
            long number = 0;
            int i = start + 1;
            while (buf[i] != ':') {
                number = number * 10 + (buf[i++] - '0');
            }
            if (number != next) {
                problem.compareAndSet(null, "expected frame " + next + " but got " + number);
            }
            next = number + 1;
            lastWasFrame = true;
            return;
        }
        String text = new String(buf, start, end - start, StandardCharsets.UTF_8);
        lastWasFrame = false;
        lastLine = text;
        if (text.equals("PING")) {
            pings++;
            client.sendLine("PONG");
        }
    }

    public TcpTestClient client() {
        return client;
    }

    /** Flood frames received so far, all in order (see {@link #problem()}). */
    public long received() {
        return next;
    }

    public long pings() {
        return pings;
    }

    /** The last line read; after the server closed the connection, its goodbye if it sent one. */
    public String lastLine() {
        return lastWasFrame ? "F" + (next - 1) : lastLine;
    }

    /** True once the server closed the connection (end of stream or reset). */
    public boolean ended() {
        return ended;
    }

    /** How the connection ended: "end of stream", or the reset. */
    public String endedBy() {
        return endedBy;
    }

    /** What went wrong (a frame missing or out of order, a read timeout), or null. */
    public String problem() {
        return problem.get();
    }

    @Override
    public void close() {
        client.close();
        thread.interrupt();
    }
}
