package io.tcpgateway.connection;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A connection's bounded backlog of encoded frames and its writer. Offering never blocks: the frame
 * is queued and, if no writer is running for this connection, one is started on a virtual thread (or,
 * for what its own reader produced, the reader writes it, see {@link #writeOnReader}).
 * The writer drains everything queued into as few socket writes as it can (one per batch of up to
 * {@link #BATCH_BYTES}) and ends when the queue is empty, so an idle connection has no writer thread.
 * A single writer at a time keeps the frames in the order they were offered.
 *
 * <p>Past half of its bound the queue is "stalling": a reader whose frames went to it waits (up to
 * {@code max-stall}) for the writer to bring it back under half before it reads on from its socket
 * ({@link #awaitRoom}), which slows a bursty producer to the pace of its readers instead of cutting
 * them off. A writer that takes the queue back under half wakes those readers. Half the bound is the
 * queue's one water mark ({@link #stallMark}), as Netty's high water mark is a channel's.
 *
 * <p>Threads, as {@code ChannelOutboundBuffer}'s javadoc says them for Netty:
 * <ul>
 * <li>{@link #offer} and {@link #offerLast}: any thread (a reader's flow, the heartbeat, an admin call,
 * the Redis subscription), concurrently; lock-free ({@code frames} is a concurrent queue, the byte count
 * an atomic add);</li>
 * <li>{@link #drain} and what it calls ({@code writeBatch}, {@code outputStream}): the one writer, a
 * virtual thread started by {@link #startWriter} or the connection's own reader ({@link #writeOnReader});
 * the {@code WRITING} compare-and-set lets one writer
 * run at a time, and its volatile write and read also hand over the plain fields ({@code out},
 * {@code lastWritten}) from one writer run to the next (a volatile write happens-before the volatile
 * read that sees it);</li>
 * <li>{@link #awaitRoom}: a producer's reader thread, from its {@link Burst};</li>
 * <li>{@link #discard}: whoever closes the connection.</li>
 * </ul>
 */
final class OutboundQueue {

    static final int BATCH_BYTES = 64 * 1024;
    /** Bytes a writer writes in one go before letting other virtual threads run (fairness on two carriers). */
    static final int YIELD_AFTER_BYTES = 4 * BATCH_BYTES;

    private static final VarHandle PENDING_BYTES;
    private static final VarHandle WRITING;
    private static final VarHandle STALLED_READERS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PENDING_BYTES = lookup.findVarHandle(OutboundQueue.class, "pendingBytes", long.class);
            WRITING = lookup.findVarHandle(OutboundQueue.class, "writing", boolean.class);
            STALLED_READERS = lookup.findVarHandle(OutboundQueue.class, "stalledReaders", Queue.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Peer peer;
    private final long maxPendingBytes;
    private final Executor writers;
    private final Queue<byte[]> frames = new ConcurrentLinkedQueue<>();
    // Plain volatile fields updated through VarHandles, not AtomicLong/AtomicBoolean objects: every
    // connection has a queue, and two fewer objects each is memory an idle connection does not hold.
    private volatile long pendingBytes;
    private volatile boolean writing;
    /** The goodbye: once set, nothing more is taken, and nothing queued after it is written. */
    private volatile byte @Nullable [] lastFrame;
    /** Set by the writer once the last frame is written. */
    private boolean lastWritten;
    /** Set by a reader's {@link Burst} that will start this writer when its burst ends. */
    volatile @Nullable Burst deferredBy;
    /** Readers waiting for this queue to go under half its bound; made on the first stall only. */
    private volatile @Nullable Queue<Thread> stalledReaders;
    private @Nullable OutputStream out;
    /** When the running writer started (epoch millis), for the write deadline; its progress is the peer's lastWriteAt. */
    private volatile long writerStartedAt;

    OutboundQueue(Peer peer, long maxPendingBytes, Executor writers) {
        this.peer = peer;
        this.maxPendingBytes = maxPendingBytes;
        this.writers = writers;
    }

    long pendingBytes() {
        return pendingBytes;
    }

    /**
     * Queues a frame; false when it was refused (closing, or over the backlog limit, which closes the
     * peer). With a {@code burst}, the writer is started when that reader's burst ends; without, now.
     */
    boolean offer(byte[] frame, @Nullable Burst burst) {
        if (!enqueue(frame)) {
            return false;
        }
        if (burst != null) {
            burst.defer(this);
        }
        else {
            startWriter();
        }
        return true;
    }

    /**
     * Queues several frames in their order and starts the writer once for all of them, so they can go out
     * in one write (another pod's read burst); returns how many were queued before one was refused.
     */
    int offerAll(List<byte[]> batch) {
        int queued = 0;
        for (byte[] frame : batch) {
            if (!enqueue(frame)) {
                break;
            }
            queued++;
        }
        if (queued > 0) {
            startWriter();
        }
        return queued;
    }

    private boolean enqueue(byte[] frame) {
        if (lastFrame != null || peer.isClosing()) {
            return false; // closing: only its goodbye (offerLast) is still written
        }
        if (addPending(frame.length) > maxPendingBytes) {
            addPending(-frame.length);
            peer.close(CloseReason.SLOW_CONSUMER);
            return false;
        }
        frames.add(frame);
        return true;
    }

    /**
     * Queues a last frame, whatever the backlog, and closes the connection once it is written. A frame
     * offered concurrently may still land behind it; the writer drops it (see {@link #drain}).
     */
    void offerLast(byte[] frame) {
        lastFrame = frame;
        addPending(frame.length);
        frames.add(frame);
        startWriter();
    }

    /** Drops whatever is still queued: the connection is closed and nothing more will be written. */
    void discard() {
        byte[] frame;
        while ((frame = frames.poll()) != null) {
            addPending(-frame.length);
        }
        wakeStalledReaders();
    }

    /**
     * Whether its writer has been writing without finishing a write for longer than {@code deadlineMillis}
     * (CONTRACT section 4's write deadline): its client has stopped reading. Progress is the last write that
     * finished, or the writer's start when none has since.
     */
    boolean writeStalled(long nowMillis, long deadlineMillis) {
        if (!writing || pendingBytes == 0) {
            return false;
        }
        long progress = Math.max(writerStartedAt, peer.lastWriteAtMillis());
        return nowMillis - progress > deadlineMillis;
    }

    /** Over half its bound: a producer adding to it should pause (see {@link #awaitRoom}). */
    boolean isStalling() {
        return pendingBytes > stallMark() && !peer.isClosing();
    }

    /**
     * Parks the calling reader until the backlog is back under half its bound, the peer is closed, or
     * {@code deadlineNanos} (a {@link System#nanoTime()}) has passed. Its writer must be running.
     */
    void awaitRoom(long deadlineNanos) {
        Queue<Thread> waiting = stalledReaders;
        if (waiting == null) {
            Queue<Thread> made = new ConcurrentLinkedQueue<>();
            waiting = STALLED_READERS.compareAndSet(this, null, made) ? made : Objects.requireNonNull(stalledReaders);
        }
        Thread reader = Thread.currentThread();
        waiting.add(reader);
        try {
            long left;
            // Checked after joining the queue: a writer that drained meanwhile has either been seen here
            // or will see this reader and unpark it.
            while (isStalling() && (left = deadlineNanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(this, left);
            }
        }
        finally {
            waiting.remove(reader);
        }
    }

    private void wakeStalledReaders() {
        Queue<Thread> waiting = stalledReaders;
        if (waiting != null) {
            for (Thread reader : waiting) {
                LockSupport.unpark(reader);
            }
        }
    }

    void startWriter() {
        if (WRITING.compareAndSet(this, false, true)) {
            handOverToWriter();
        }
    }

    /**
     * Writes what is queued on the calling thread, this connection's own reader at the end of a read burst,
     * when no writer is running and little is queued: the frames its reader produced (an echo, a PONG, an
     * OK) then go out the way Netty's event loop writes what it read, without handing them to a writer
     * thread. Past {@link #YIELD_AFTER_BYTES}, or with more than a batch queued (frames other producers
     * sent here), a writer thread takes over and the reader goes back to reading. A client that stops
     * reading blocks this write, and so its own reader: TCP then slows its sending, and the write deadline
     * closes it as it would a stuck writer.
     */
    void writeOnReader() {
        if (pendingBytes > BATCH_BYTES) {
            startWriter();
        }
        else if (WRITING.compareAndSet(this, false, true)) {
            drain(true);
        }
    }

    private void drainOnWriter() {
        drain(false);
    }

    private void handOverToWriter() {
        try {
            writers.execute(this::drainOnWriter);
        }
        catch (RejectedExecutionException shuttingDown) {
            writing = false;
            peer.close(CloseReason.SHUTDOWN);
        }
    }

    private void drain(boolean onReader) {
        writerStartedAt = System.currentTimeMillis();
        try {
            long sinceYield = 0;
            while (true) {
                if (sinceYield >= YIELD_AFTER_BYTES) {
                    if (onReader) {
                        handOverToWriter(); // "writing" stays set: the writer thread goes on from here
                        return;
                    }
                    // A receiver that keeps up with a flooding producer would keep this writer, and a
                    // carrier, busy for as long as the flood lasts: let the other connections run.
                    sinceYield = 0;
                    Thread.yield();
                }
                byte[] first = frames.poll();
                if (first == null) {
                    writing = false;
                    // A frame offered after the poll but before the flag was cleared found the writer
                    // "running" and did not start one: take it over, unless another writer already has.
                    if (!frames.isEmpty() && WRITING.compareAndSet(this, false, true)) {
                        continue;
                    }
                    return;
                }
                sinceYield += writeBatch(first);
                if (lastWritten) {
                    // Leaves "writing" set: no writer runs again. Whatever a racing offer queued behind the
                    // goodbye is dropped, so the goodbye is always the last frame the client reads.
                    discard();
                    peer.goodbyeWritten();
                    return;
                }
            }
        }
        catch (IOException | RuntimeException failure) {
            writing = false;
            peer.writeFailed(failure);
        }
    }

    /** Writes {@code first} and what follows it, up to {@link #BATCH_BYTES}; returns the bytes written. */
    private int writeBatch(byte[] first) throws IOException {
        OutputStream stream = outputStream();
        // The goodbye is set before it is queued, so a writer that takes it always recognises it here.
        boolean firstIsLast = first == lastFrame;
        byte[] next = frames.peek();
        if (firstIsLast || next == null || first.length + next.length > BATCH_BYTES) {
            stream.write(first);
            written(first.length, 1);
            lastWritten = firstIsLast;
            return first.length;
        }
        byte[] batch = new byte[(int) Math.min(BATCH_BYTES, Math.max(pendingBytes, first.length))];
        System.arraycopy(first, 0, batch, 0, first.length);
        int length = first.length;
        int count = 1;
        // This writer is the only consumer, so a peeked frame is still the head when polled.
        while ((next = frames.peek()) != null && length + next.length <= batch.length) {
            frames.poll();
            System.arraycopy(next, 0, batch, length, next.length);
            length += next.length;
            count++;
            if (next == lastFrame) {
                lastWritten = true;
                break;
            }
        }
        stream.write(batch, 0, length);
        written(length, count);
        return length;
    }

    /** Half of {@code max-pending-bytes}: over it producers feeding this queue pause (CONTRACT section 4). */
    private long stallMark() {
        return maxPendingBytes >>> 1;
    }

    /** Adds to the queued byte count (negative when frames leave) and returns the new count. */
    private long addPending(long bytes) {
        return (long) PENDING_BYTES.getAndAdd(this, bytes) + bytes;
    }

    private void written(int bytes, int count) {
        long left = addPending(-bytes);
        peer.recordWrite(bytes, count);
        if (stalledReaders != null && left <= stallMark()) {
            wakeStalledReaders();
        }
    }

    private OutputStream outputStream() throws IOException {
        OutputStream stream = out;
        if (stream == null) {
            stream = peer.connection().socketOutputStream();
            out = stream;
        }
        return stream;
    }
}
