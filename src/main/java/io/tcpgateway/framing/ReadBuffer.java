package io.tcpgateway.framing;

import java.io.IOException;
import java.io.InputStream;

/**
 * The read buffer of one connection, sized to what is arriving. Spring Integration's stock
 * deserializers read byte by byte from the raw socket stream and allocate a max-frame buffer before
 * blocking in {@code read}, so every idle connection pins tens of kilobytes. Here reads go through a
 * small buffer ({@link #SMALL}, what an idle connection holds while blocked) that grows to
 * {@link #LARGE} while reads keep filling it and shrinks back once a read shows the socket drained.
 * One {@code read} per burst, no {@code available()} probes. Not thread-safe: one reader thread per
 * connection owns it.
 */
public final class ReadBuffer extends InputStream {

    static final int SMALL = 512;
    static final int LARGE = 16 * 1024;

    private final InputStream in;
    private byte[] buf = new byte[SMALL];
    private int pos;
    private int limit;
    private long bytesRead;
    private final Runnable beforeRead;

    public ReadBuffer(InputStream in) {
        this(in, () -> { });
    }

    /** @param beforeRead runs each time everything buffered has been handled, before the next socket read */
    public ReadBuffer(InputStream in, Runnable beforeRead) {
        this.in = in;
        this.beforeRead = beforeRead;
    }

    /** Wraps a stream unless it is a ReadBuffer already. */
    public static ReadBuffer of(InputStream in) {
        return (in instanceof ReadBuffer buffer) ? buffer : new ReadBuffer(in);
    }

    /** Makes at least one byte available; false at end of stream. */
    boolean fill() throws IOException {
        if (pos < limit) {
            return true;
        }
        beforeRead.run();
        resizeFor(limit);
        pos = 0;
        limit = 0;
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        }
        while (n == 0);
        if (n < 0) {
            return false;
        }
        limit = n;
        bytesRead += n;
        return true;
    }

    /**
     * A read that filled the buffer means more is waiting: grow. A read that did not fill a large buffer
     * means the socket was drained and the next read may block for a long time: shrink, so a quiet
     * connection holds only the small buffer (at most one large allocation per burst).
     */
    private void resizeFor(int lastRead) {
        if (lastRead == buf.length) {
            if (buf.length < LARGE) {
                buf = new byte[LARGE];
            }
        }
        else if (buf.length > SMALL) {
            buf = new byte[SMALL];
        }
    }

    /** Bytes taken from the underlying stream so far (framing included; after TLS decryption). */
    public long bytesRead() {
        return bytesRead;
    }

    /** The capacity held right now: {@link #SMALL} while the peer is quiet. */
    int capacity() {
        return buf.length;
    }

    int remaining() {
        return limit - pos;
    }

    /** Index (relative to the read position) of the first {@code b} among the buffered bytes, or -1. */
    int indexOf(byte b) {
        byte[] bytes = buf;
        for (int i = pos; i < limit; i++) {
            if (bytes[i] == b) {
                return i - pos;
            }
        }
        return -1;
    }

    /** Copies {@code length} buffered bytes into {@code target} and consumes them. */
    void take(byte[] target, int offset, int length) {
        System.arraycopy(buf, pos, target, offset, length);
        pos += length;
    }

    void skip(int length) {
        pos += length;
    }

    @Override
    public int read() throws IOException {
        return fill() ? (buf[pos++] & 0xff) : -1;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, remaining());
        take(target, offset, n);
        return n;
    }

    /** Reads exactly {@code length} bytes; false when the stream ends first. */
    boolean readFully(byte[] target, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = read(target, offset + done, length - done);
            if (n < 0) {
                return false;
            }
            done += n;
        }
        return true;
    }

    @Override
    public int available() throws IOException {
        return remaining() + in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
