package io.tcpgateway.connection;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * How the reader of one connection without TLS gives its thread back while the client is quiet
 * ({@link ParkedReaders}). The channel is blocking while a reader runs (its reads time out after
 * {@code release-reader-after} between frames, and a frame begun is bounded by the frame timeout, which
 * only blocking reads can do), and non-blocking while parked, since only then can a selector watch it.
 *
 * <p>Writers never wait for the mode: they write through {@link #output()}, the channel's own
 * {@code write}, which takes all of a frame when the channel is blocking and what the send buffer has room
 * for when it is not. Only a writer that finds the send buffer full while the reader is parked asks for
 * the reader back and waits for the channel to be blocking again (a parked connection gets a PING or a
 * broadcast, which fits, far more often than a backlog).
 *
 * <p>Threads: the mode changes under this object's lock, by the reader ({@link #park}, {@link #blockingAgain})
 * and by the selector's thread ({@link #unregister}); a writer takes it only to wait.
 */
final class ChannelParking {

    /** A wait for bytes shorter than this is a busy connection's. */
    static final long SHORT_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** After this many short waits in a row the reader waits without a timeout (see {@link #betweenFramesMillis}). */
    static final int BUSY_AFTER_SHORT_WAITS = 8;

    private final SocketChannel channel;
    private final ParkedReaders parked;
    private final int releaseAfterMillis;
    /** Consecutive waits for bytes shorter than {@link #SHORT_WAIT_NANOS}, up to the busy mark; the reader's alone. */
    private int shortWaits;
    private final Runnable resume;
    private final OutputStream output = new ChannelOutput();
    /** While parked: the channel's registration with the selector; null otherwise. */
    private @Nullable SelectionKey key;

    /**
     * @param resume what a new reader thread runs when the parked connection has bytes (or a writer needs it)
     */
    ChannelParking(SocketChannel channel, ParkedReaders parked, int releaseAfterMillis, Runnable resume) {
        this.channel = channel;
        this.parked = parked;
        this.releaseAfterMillis = releaseAfterMillis;
        this.resume = resume;
    }

    /**
     * The socket's read timeout for the reader's next wait between frames: {@code release-reader-after},
     * unless the connection is busy (its last {@link #BUSY_AFTER_SHORT_WAITS} waits were each shorter than
     * {@link #SHORT_WAIT_NANOS}); then none. A timed wait costs a timer set and cancelled in the JDK's
     * virtual-thread scheduler (measured: about 0.4 µs per echoed frame, a tenth of echo's throughput), which a
     * busy connection would pay on every wait for nothing. A busy connection that stops at once keeps its
     * reader until its next read, at the latest the answer to the heartbeat's ping; that wait was long, so
     * the one after it has the timeout again.
     */
    int betweenFramesMillis() {
        return (shortWaits >= BUSY_AFTER_SHORT_WAITS) ? 0 : releaseAfterMillis;
    }

    /** The reader's wait for bytes between frames took {@code nanos} ({@code Long.MAX_VALUE}: it timed out). */
    void waited(long nanos) {
        shortWaits = (nanos < SHORT_WAIT_NANOS) ? Math.min(shortWaits + 1, BUSY_AFTER_SHORT_WAITS) : 0;
    }

    /**
     * The reader has nothing to do: the channel goes to the selector and the reader may end. False when it
     * cannot now (the channel is closing, or its last registration is not yet gone from the selector): the
     * reader keeps its thread and reads on.
     */
    synchronized boolean park() {
        try {
            channel.configureBlocking(false);
            key = parked.register(channel, this);
            return true;
        }
        catch (IOException | CancelledKeyException notNow) {
            try {
                channel.configureBlocking(true);
            }
            catch (IOException closed) {
                // the reader's next read fails and ends the connection
            }
            return false;
        }
    }

    synchronized boolean isParked() {
        return key != null;
    }

    /** The selector's thread: takes the channel out of the selector; true when it was parked (a reader must resume). */
    synchronized boolean unregister() {
        SelectionKey registered = key;
        key = null;
        if (registered == null || !registered.isValid()) {
            return false; // resumed already, or closed (closing cancels the key)
        }
        registered.cancel();
        return true;
    }

    /** The resumed reader's first step: the channel is blocking again, and writers waiting for that go on. */
    synchronized void blockingAgain() throws IOException {
        try {
            channel.configureBlocking(true);
        }
        finally {
            notifyAll();
        }
    }

    /** The connection closed: a writer waiting for the reader gives up, and the selector frees the descriptor now. */
    synchronized void closed() {
        notifyAll();
        if (key != null) {
            parked.closedWhileParked();
        }
    }

    void resumeReader() {
        resume.run();
    }

    /** What writers write to: the channel, in whichever mode it is. */
    OutputStream output() {
        return output;
    }

    /** A writer that could not write all of a frame while the channel is non-blocking: waits for the reader's return. */
    private synchronized void awaitBlocking() throws IOException {
        while (!channel.isBlocking()) {
            if (!channel.isOpen()) {
                throw new ClosedChannelException();
            }
            parked.wake(this);
            try {
                wait();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a parked reader");
            }
        }
    }

    private final class ChannelOutput extends OutputStream {

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        /**
         * Failures come out as {@link SocketException}s, as from a socket's own stream (the channel says
         * {@code IOException: Broken pipe} where the socket says {@code SocketException}), so a client that
         * went away is still closed with reason {@code peer}.
         */
        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            try {
                while (buffer.hasRemaining()) {
                    if (channel.write(buffer) == 0 && buffer.hasRemaining()) {
                        awaitBlocking();
                    }
                }
            }
            catch (SocketException | InterruptedIOException ex) {
                throw ex;
            }
            catch (ClosedChannelException closed) {
                throw new SocketException("Socket closed", closed);
            }
            catch (IOException ex) {
                throw new SocketException(ex.getMessage(), ex);
            }
        }
    }
}
