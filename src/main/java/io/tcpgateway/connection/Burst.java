package io.tcpgateway.connection;

import io.tcpgateway.framing.ReadBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The writers to start once a connection's reader has handled what one socket read brought in.
 * While a reader works through a burst of frames, every frame the flow sends on its behalf (its echo,
 * a broadcast to a thousand peers, a PONG) is queued at once but the receivers' writers are started
 * only at the end of the burst, so a burst of eight frames to a peer starts its writer once and goes
 * out in one write. This is Netty's flush on {@code channelReadComplete}. What the reader queued for its
 * own connection it then writes itself, as Netty's event loop does. Used by that reader only.
 *
 * <p>It is also where a producer is paced (NATS's {@code stalledWait}): when the burst left a receiver's
 * backlog over half its bound, the reader waits, up to the listener's {@code max-stall}, for that
 * backlog to go back under half before it reads from its socket again. A receiver that keeps reading
 * then gets a burst of any size; only one that stops reading reaches its bound and is closed. Nothing
 * waits while every receiver is under half: the check is one volatile read per receiver per burst.
 *
 * <p>A flow may also leave a task for the end of the burst ({@link #atEnd}, through {@link Peer#atEndOfReadBurst}):
 * the cluster relay publishes a sender's whole burst to the other pods in one message.
 *
 * <p>The reader's {@link ReadBuffer} runs it (as its {@link ReadBuffer.BeforeRead}) before each socket read. The first
 * deferred writer of a burst has a field of its own, the usual case (an echo, a PONG): a connection
 * that never broadcasts never allocates the list, which an idle connection would otherwise keep.
 *
 * <p>Threads: one {@code Burst} per connection, used by that connection's reader thread alone
 * ({@link #defer} from its flow, {@link #run} before each socket read, {@link #flush} when it ends), so
 * its fields are plain. The one field it shares, {@link OutboundQueue#deferredBy}, is volatile: other
 * readers look at it to see whether a queue's writer start is already deferred by somebody.
 */
final class Burst implements ReadBuffer.BeforeRead {

    private final Peer producer;
    private @Nullable OutboundQueue first;
    private @Nullable List<OutboundQueue> more;
    /** What the flow asked to run once per burst ({@link #atEnd}): the burst to publish to the other pods. */
    private @Nullable List<Runnable> atEnd;

    Burst(Peer producer) {
        this.producer = producer;
    }

    void defer(OutboundQueue queue) {
        if (queue.deferredBy != this) {
            queue.deferredBy = this;
            if (first == null) {
                first = queue;
            }
            else {
                if (more == null) {
                    more = new ArrayList<>();
                }
                more.add(queue);
            }
        }
    }

    /** {@code task} runs once, on this reader, when the burst ends ({@link #run} or {@link #flush}). */
    void atEnd(Runnable task) {
        if (atEnd == null) {
            atEnd = new ArrayList<>(2);
        }
        atEnd.add(task);
    }

    /**
     * Starts every writer the burst deferred, then paces the producer; run before each socket read. Returns
     * whether the burst answered the producer itself (an echo, a PONG, an OK).
     */
    @Override
    public boolean run() {
        runEndTasks();
        OutboundQueue queue = first;
        if (queue == null) {
            return false;
        }
        boolean answered = startAll(queue);
        long deadline = 0;
        if (queue.isStalling()) {
            deadline = stall(queue, deadline);
        }
        List<OutboundQueue> others = more;
        if (others != null && !others.isEmpty()) {
            for (OutboundQueue other : others) {
                if (other.isStalling()) {
                    deadline = stall(other, deadline);
                }
            }
            others.clear();
        }
        return answered;
    }

    /** Starts every writer the burst deferred, without pacing: the reader is ending. */
    void flush() {
        runEndTasks();
        OutboundQueue queue = first;
        if (queue != null) {
            startAll(queue);
            if (more != null) {
                more.clear();
            }
        }
    }

    /** Run first, so what crosses to the other pods, the longer way, sets off before the local writes start. */
    private void runEndTasks() {
        List<Runnable> tasks = atEnd;
        if (tasks != null && !tasks.isEmpty()) {
            try {
                for (Runnable task : tasks) {
                    task.run();
                }
            }
            finally {
                tasks.clear(); // each runs once, even when one before it failed
            }
        }
    }

    /**
     * Starts the other connections' writers first, so they run beside this reader, then writes what the
     * reader queued for its own connection itself ({@link OutboundQueue#writeOnReader}); returns whether there
     * was any.
     */
    private boolean startAll(OutboundQueue queue) {
        first = null;
        OutboundQueue own = producer.outboundQueue();
        boolean ownDeferred = startUnlessOwn(queue, own);
        List<OutboundQueue> others = more;
        if (others != null) {
            for (OutboundQueue other : others) {
                ownDeferred |= startUnlessOwn(other, own);
            }
        }
        if (ownDeferred) {
            own.writeOnReader();
        }
        return ownDeferred;
    }

    /** Starts {@code queue}'s writer unless it is {@code own}; returns whether it was. */
    private boolean startUnlessOwn(OutboundQueue queue, OutboundQueue own) {
        if (queue.deferredBy == this) {
            queue.deferredBy = null;
        }
        if (queue == own) {
            return true;
        }
        queue.startWriter();
        return false;
    }

    /** Waits on one stalling receiver; the first wait of a burst sets the one deadline for all of them. */
    private long stall(OutboundQueue receiver, long deadline) {
        if (deadline == 0) {
            deadline = System.nanoTime() + producer.listener().maxStallNanos();
            producer.listener().stats().producerStalled();
        }
        receiver.awaitRoom(deadline);
        return deadline;
    }
}
