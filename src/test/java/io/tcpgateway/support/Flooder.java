package io.tcpgateway.support;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A client that writes numbered frames ({@code F<n>:pppp...}) as fast as TCP lets it, in writes of many
 * frames at once, until it is stopped or the server closes it.
 */
public final class Flooder implements AutoCloseable {

    private static final int FRAMES_PER_WRITE = 64;

    private final TcpTestClient client;
    private final int frameBytes;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile long sent;

    private Flooder(TcpTestClient client, int frameBytes) {
        this.client = client;
        this.frameBytes = frameBytes;
        this.thread = Thread.ofPlatform().name("flooder").daemon().start(this::flood);
    }

    /** Starts flooding at once with frames of {@code frameBytes} (line feed included). */
    public static Flooder start(int port, int frameBytes) {
        return new Flooder(TcpTestClient.connect(port), frameBytes);
    }

    private void flood() {
        long n = 0;
        try {
            while (!stopped) {
                ByteArrayOutputStream chunk = new ByteArrayOutputStream(FRAMES_PER_WRITE * frameBytes);
                for (int i = 0; i < FRAMES_PER_WRITE; i++, n++) {
                    String head = "F" + n + ":";
                    chunk.writeBytes((head + "p".repeat(Math.max(0, frameBytes - 1 - head.length())) + "\n")
                            .getBytes(StandardCharsets.US_ASCII));
                }
                client.sendRaw(chunk.toByteArray());
                sent = n;
            }
        }
        catch (UncheckedIOException closedByServer) {
            // the gateway shut down or closed it
        }
    }

    /** Stops writing; returns how many frames were written in all. */
    public long stop() throws InterruptedException {
        stopped = true;
        thread.join();
        return sent;
    }

    public long sent() {
        return sent;
    }

    public TcpTestClient client() {
        return client;
    }

    @Override
    public void close() {
        stopped = true;
        client.close();
    }
}
