package io.tcpgateway.framing;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/**
 * The read buffer of one connection, sized to what is arriving. Spring Integration's stock
 * deserializers read byte by byte from the raw socket stream and allocate a max-frame buffer before
 * blocking in {@code read}, so every idle connection pins tens of kilobytes. Here reads go through a
 * buffer in three sizes: {@link #TINY} for a connection whose traffic comes in small bursts (a quiet
 * connection holds this while its reader waits), {@link #SMALL} for steady traffic, {@link #LARGE}
 * while reads keep filling it. A read that fills the buffer grows it one size; a read that leaves it
 * part empty shows the socket drained and shrinks it back. One {@code read} per burst, no
 * {@code available()} probes. The large size is held from the gateway's budget ({@link PartialFrames}):
 * with the budget used up, reads stay small. Not thread-safe: one reader thread per connection owns it.
 */
public final class ReadBuffer extends InputStream {

    static final int TINY = 64;
    static final int SMALL = 512;
    static final int LARGE = 16 * 1024;
    /**
     * Bytes read back to back (every read filling the buffer: the socket never ran dry) after which the
     * reader lets other virtual threads run. Reading a flooding client never blocks, and a virtual
     * thread that never blocks keeps its carrier: on two cores one flooder and the writers it feeds
     * would leave every other connection unread (Netty bounds a turn with maxMessagesPerRead).
     */
    static final int YIELD_AFTER_BYTES = 64 * 1024;

    private final InputStream in;
    private byte[] buf = new byte[TINY];
    /** Whether the last read, and the one before it, filled the buffer (more was waiting: same burst). */
    private boolean lastReadFilled;
    private boolean previousReadFilled;
    private int pos;
    private int limit;
    private long bytesRead;
    private int bytesSinceDry;
    private final BeforeRead beforeRead;
    private final PartialFrames memory;
    /** Whether the socket's reads are bounded by the frame timeout now (a frame is half read). */
    private boolean awaitingRest;

    /**
     * What the reader does each time everything buffered has been handled, before its next socket read (its
     * connection's writers are started there).
     */
    @FunctionalInterface
    public interface BeforeRead {

        /**
         * @return whether it just answered this connection's client (queued or wrote frames to it): a client
         *     that waits for answers, as a request/response client does, sends its next frame right away
         */
        boolean run();
    }

    public ReadBuffer(InputStream in) {
        this(in, () -> false, PartialFrames.UNBOUNDED);
    }

    /**
     * @param beforeRead runs each time everything buffered has been handled, before the next socket read
     * @param memory where the {@link #LARGE} buffer and partial frames are held from, and who bounds the wait
     *     for the rest of a frame
     */
    public ReadBuffer(InputStream in, BeforeRead beforeRead, PartialFrames memory) {
        this.in = in;
        this.beforeRead = beforeRead;
        this.memory = memory;
    }

    /** Wraps a stream unless it is a ReadBuffer already. */
    public static ReadBuffer of(InputStream in) {
        return (in instanceof ReadBuffer buffer) ? buffer : new ReadBuffer(in);
    }

    /**
     * Waits until bytes are buffered or the stream has ended, without consuming anything. The reader
     * calls this between frames from the top of its stack, so an idle connection's parked thread holds
     * a few frames rather than the whole decode path (the parked stack is most of an idle connection's
     * heap). An end of stream shows again on the next read: sockets keep answering -1.
     */
    public void awaitBytes() throws IOException {
        fill();
    }

    /** Makes at least one byte available between frames; false at end of stream. */
    boolean fill() throws IOException {
        return fill(false);
    }

    /**
     * Makes at least one byte of a frame already begun available; false at end of stream. A socket read
     * here waits at most the frame timeout.
     *
     * @throws FrameTimeoutException when no byte came within it
     */
    boolean fillRestOfFrame() throws IOException {
        return fill(true);
    }

    /** The next byte of a frame already begun (see {@link #fillRestOfFrame}), or -1 at end of stream. */
    int readRestOfFrame() throws IOException {
        return fill(true) ? (buf[pos++] & 0xff) : -1;
    }

    PartialFrames memory() {
        return memory;
    }

    private boolean fill(boolean restOfFrame) throws IOException {
        if (pos < limit) {
            return true;
        }
        boolean answered = beforeRead.run();
        if (bytesSinceDry >= YIELD_AFTER_BYTES) {
            bytesSinceDry = 0;
            Thread.yield();
        }
        else if (answered && !lastReadFilled) {
            // The socket is drained and the client was just answered: its next frame is on its way. Let the
            // other ready threads run once first, so this read finds it rather than finding nothing: a
            // virtual thread's socket read that finds nothing costs an empty read, a registration with the
            // JDK's poller, a park and a wake-up before the read that gets the bytes (Netty's event loop
            // gets the same from handling every ready channel before it polls again).
            Thread.yield();
        }
        resizeFor(limit);
        pos = 0;
        limit = 0;
        if (restOfFrame != awaitingRest) {
            memory.awaitingRestOfFrame(restOfFrame); // changes the socket's read timeout only when the state changes
            awaitingRest = restOfFrame;
        }
        int n;
        try {
            do {
                n = in.read(buf, 0, buf.length);
            }
            while (n == 0);
        }
        catch (SocketTimeoutException timeout) {
            if (restOfFrame) {
                throw new FrameTimeoutException("no byte of a partial frame within gateway.inbound.frame-timeout");
            }
            throw timeout;
        }
        if (n < 0) {
            return false;
        }
        limit = n;
        previousReadFilled = lastReadFilled;
        lastReadFilled = n == buf.length;
        bytesSinceDry = lastReadFilled ? bytesSinceDry + n : 0;
        bytesRead += n;
        return true;
    }

    /**
     * A read that filled the buffer means more is waiting: grow. A read that did not fill it means the
     * socket was drained and the next read may wait a long time: a large buffer goes back to small, and
     * a burst that fit the tiny buffer from its first read (the next one probably will too) goes back to
     * tiny. The tail of a larger burst does not shrink to tiny, so traffic of a few hundred bytes per
     * burst settles on small instead of allocating on every burst.
     */
    private void resizeFor(int lastRead) {
        int size = buf.length;
        if (lastRead == size) {
            if (size == TINY) {
                buf = new byte[SMALL];
            }
            else if (size == SMALL && memory.tryHold(LARGE - SMALL)) { // with the budget used up, reads stay small
                buf = new byte[LARGE];
            }
        }
        else if (lastRead <= TINY && !previousReadFilled) {
            if (size > TINY) {
                shrinkTo(TINY);
            }
        }
        else if (size > SMALL) {
            shrinkTo(SMALL);
        }
    }

    private void shrinkTo(int size) {
        if (buf.length == LARGE) {
            memory.release(LARGE - SMALL);
        }
        buf = new byte[size];
    }

    /**
     * The reader is done: gives back what its buffer held from the budget. Anything still buffered is
     * dropped (the connection is closing).
     */
    public void release() {
        if (buf.length == LARGE) {
            shrinkTo(TINY);
            pos = 0;
            limit = 0;
        }
    }

    /**
     * The connection is quiet and its reader about to give its thread back: with nothing buffered, the
     * buffer goes back to its tiny size (and a large one's bytes to the budget) until the client talks again.
     */
    public void shrinkWhileQuiet() {
        if (pos == limit && buf.length > TINY) {
            shrinkTo(TINY);
            pos = 0;
            limit = 0;
        }
    }

    /** Bytes taken from the underlying stream so far (framing included; after TLS decryption). */
    public long bytesRead() {
        return bytesRead;
    }

    /** Whether bytes are buffered: the next frame's first byte needs no socket read. */
    public boolean hasBuffered() {
        return pos < limit;
    }

    /** The capacity held right now: {@link #TINY} while a peer that talks in short bursts is quiet. */
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

    @Override
    public int available() throws IOException {
        return remaining() + in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
