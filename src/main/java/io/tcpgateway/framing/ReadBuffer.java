package io.tcpgateway.framing;

import java.io.IOException;
import java.io.InputStream;

/**
 * A read buffer that exists only while bytes are arriving. Spring Integration's stock deserializers
 * read byte by byte and allocate a max-frame buffer before blocking in {@code read}, so every idle
 * connection pins tens of kilobytes. Here, when the buffer is empty and the socket has nothing
 * pending, the buffer is dropped and the reader blocks on a single-byte read; a buffer is taken again
 * only once a byte has arrived. Not thread-safe: one reader thread per connection owns it.
 */
public final class ReadBuffer extends InputStream {

    static final int SIZE = 8192;

    private final InputStream in;
    private byte[] buf;
    private int pos;
    private int limit;
    private long bytesRead;

    public ReadBuffer(InputStream in) {
        this.in = in;
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
        pos = 0;
        limit = 0;
        if (buf != null) {
            int pending = in.available();
            if (pending > 0) {
                limit = Math.max(0, in.read(buf, 0, Math.min(pending, buf.length)));
                bytesRead += limit;
                return limit > 0 || fill();
            }
            buf = null; // nothing pending: do not hold a buffer while blocked
        }
        int first = in.read();
        if (first < 0) {
            return false;
        }
        buf = new byte[SIZE];
        buf[0] = (byte) first;
        limit = 1;
        int pending = in.available();
        if (pending > 0) {
            int n = in.read(buf, 1, Math.min(pending, SIZE - 1));
            limit += Math.max(0, n);
        }
        bytesRead += limit;
        return true;
    }

    /** Bytes taken from the underlying stream so far (framing included; after TLS decryption). */
    public long bytesRead() {
        return bytesRead;
    }

    /** Whether a buffer is held right now (none while the reader waits for an idle peer). */
    boolean holdsBuffer() {
        return buf != null;
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
