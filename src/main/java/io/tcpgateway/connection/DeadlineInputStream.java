package io.tcpgateway.connection;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A socket's input bounded by one deadline for all reads together (the PROXY header's
 * {@code proxy-header-timeout}), so a header sent a byte at a time cannot hold a connection open
 * longer than that. Counts the bytes it gave, so the caller can tell silence from a cut-off header.
 */
final class DeadlineInputStream extends InputStream {

    private final Socket socket;
    private final InputStream in;
    private final long deadlineNanos;
    private final int soTimeoutBefore;
    private int bytesRead;

    DeadlineInputStream(Socket socket, Duration timeout) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        this.soTimeoutBefore = socket.getSoTimeout();
    }

    @Override
    public int read() throws IOException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
        int next = in.read();
        if (next >= 0) {
            bytesRead++;
        }
        return next;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        // One byte at a time: nothing past the header may be taken from the socket.
        if (length == 0) {
            return 0;
        }
        int next = read();
        if (next < 0) {
            return -1;
        }
        buffer[offset] = (byte) next;
        return 1;
    }

    int bytesRead() {
        return bytesRead;
    }

    /** Gives the socket its timeout back. */
    void done() throws IOException {
        socket.setSoTimeout(soTimeoutBefore);
    }
}
