package io.tcpgateway.connection;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * A connection's bounded backlog of encoded frames and its writer. Offering never blocks: the frame
 * is queued and, if no writer is running for this connection, one is started on a virtual thread.
 * The writer drains everything queued into as few socket writes as it can (one per batch of up to
 * {@link #BATCH_BYTES}) and ends when the queue is empty, so an idle connection has no writer thread.
 * A single writer at a time keeps the frames in the order they were offered.
 */
final class OutboundQueue {

    static final int BATCH_BYTES = 64 * 1024;

    private static final VarHandle PENDING_BYTES;
    private static final VarHandle WRITING;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PENDING_BYTES = lookup.findVarHandle(OutboundQueue.class, "pendingBytes", long.class);
            WRITING = lookup.findVarHandle(OutboundQueue.class, "writing", boolean.class);
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
    private volatile boolean closeWhenDrained;
    /** Set by a reader's {@link Burst} that will start this writer when its burst ends. */
    volatile Burst deferredBy;
    private OutputStream out;

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
        if (closeWhenDrained || peer.isClosed()) {
            return false;
        }
        if (addPending(frame.length) > maxPendingBytes) {
            addPending(-frame.length);
            peer.close(CloseReason.SLOW_CONSUMER);
            return false;
        }
        frames.add(frame);
        if (burst != null) {
            burst.defer(this);
        }
        else {
            startWriter();
        }
        return true;
    }

    /** Queues a last frame, whatever the backlog, and closes the connection once it is written. */
    void offerLast(byte[] frame) {
        addPending(frame.length);
        frames.add(frame);
        closeWhenDrained = true;
        startWriter();
    }

    /** Drops whatever is still queued: the connection is closed and nothing more will be written. */
    void discard() {
        byte[] frame;
        while ((frame = frames.poll()) != null) {
            addPending(-frame.length);
        }
    }

    void startWriter() {
        if (WRITING.compareAndSet(this, false, true)) {
            try {
                writers.execute(this::drain);
            }
            catch (RejectedExecutionException shuttingDown) {
                writing = false;
                peer.close(CloseReason.SHUTDOWN);
            }
        }
    }

    private void drain() {
        try {
            while (true) {
                byte[] first = frames.poll();
                if (first == null) {
                    writing = false;
                    // A frame offered after the poll but before the flag was cleared found the writer
                    // "running" and did not start one: take it over, unless another writer already has.
                    if (!frames.isEmpty() && WRITING.compareAndSet(this, false, true)) {
                        continue;
                    }
                    if (closeWhenDrained && frames.isEmpty()) {
                        peer.closeNow();
                    }
                    return;
                }
                writeBatch(first);
            }
        }
        catch (IOException | RuntimeException failure) {
            writing = false;
            peer.writeFailed(failure);
        }
    }

    private void writeBatch(byte[] first) throws IOException {
        OutputStream stream = outputStream();
        byte[] next = frames.peek();
        if (next == null || first.length + next.length > BATCH_BYTES) {
            stream.write(first);
            written(first.length, 1);
            return;
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
        }
        stream.write(batch, 0, length);
        written(length, count);
    }

    /** Adds to the queued byte count (negative when frames leave) and returns the new count. */
    private long addPending(long bytes) {
        return (long) PENDING_BYTES.getAndAdd(this, bytes) + bytes;
    }

    private void written(int bytes, int count) {
        addPending(-bytes);
        peer.recordWrite(bytes, count);
    }

    private OutputStream outputStream() throws IOException {
        if (out == null) {
            out = peer.connection().socketOutputStream();
        }
        return out;
    }
}
