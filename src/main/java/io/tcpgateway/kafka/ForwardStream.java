package io.tcpgateway.kafka;

import io.tcpgateway.connection.Peer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The frames of one {@code forward} connection on their way to Kafka: how many were sent (numbered from 1 in the
 * order read), how many are stored (all up to that number; Kafka completes one partition's records in order, and
 * one connection's records share a key, so a partition), how many the client was told of ({@code ACK <n>}), and
 * the bytes still in flight, which bound how far its reader may run ahead of Kafka
 * ({@code gateway.kafka.max-in-flight-bytes-per-connection}).
 */
final class ForwardStream {

    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Peer peer;
    private final FrameRecords records;
    private final long maxInFlightBytes;
    private final boolean acks;
    private final AtomicLong inFlightBytes = new AtomicLong();
    /** Frames handed to the producer; written by the reader only. */
    private volatile long sent;
    private volatile long stored;
    private volatile long acknowledged;
    /** The first frame Kafka refused for good; nothing from it on counts as stored. */
    private volatile long refusedAt = Long.MAX_VALUE;
    private final AtomicBoolean ackPending = new AtomicBoolean();
    /** Set by the drain: the reader takes nothing further after the frame it is handling. */
    private volatile boolean held;
    private volatile Thread reader;
    /** Since when ({@link System#nanoTime()}) its reader has been waiting for Kafka (room, the producer); 0: not. */
    private volatile long waitingSince;

    ForwardStream(Peer peer, FrameRecords records, long maxInFlightBytes, boolean acks) {
        this.peer = peer;
        this.records = records;
        this.maxInFlightBytes = maxInFlightBytes;
        this.acks = acks;
        this.reader = Thread.currentThread();
    }

    Peer peer() {
        return peer;
    }

    FrameRecords records() {
        return records;
    }

    boolean acks() {
        return acks;
    }

    /** The number of the next frame, which the reader is about to send. */
    long nextSequence() {
        long next = sent + 1;
        sent = next;
        return next;
    }

    long sent() {
        return sent;
    }

    long stored() {
        return stored;
    }

    long acknowledged() {
        return acknowledged;
    }

    boolean refused() {
        return refusedAt != Long.MAX_VALUE;
    }

    /**
     * Waits while this connection's bytes in flight leave no room for {@code bytes} (one frame goes alone however
     * large); false when the connection closed meanwhile.
     */
    boolean awaitRoom(int bytes) {
        reader = Thread.currentThread();
        while (true) {
            long current = inFlightBytes.get();
            if (current == 0 || current + bytes <= maxInFlightBytes) {
                inFlightBytes.addAndGet(bytes);
                return true;
            }
            if (gone()) {
                return false;
            }
            LockSupport.parkNanos(this, RECHECK_NANOS);
        }
    }

    /** Whether the connection's close was decided: a frame it is still handling goes nowhere. */
    boolean gone() {
        return peer.closeReason() != null;
    }

    /** Whether a frame of {@code bytes} would have to wait for room now. */
    boolean full(int bytes) {
        long current = inFlightBytes.get();
        return current > 0 && current + bytes > maxInFlightBytes;
    }

    /** A frame of {@code bytes} no longer waits for Kafka (stored, refused, or dropped with its connection). */
    void free(int bytes) {
        if (inFlightBytes.addAndGet(-bytes) < maxInFlightBytes) {
            LockSupport.unpark(reader);
        }
    }

    /** Kafka stored frame {@code sequence}; true when that makes an {@code ACK} due that is not already pending. */
    boolean stored(long sequence) {
        if (sequence >= refusedAt || sequence <= stored) {
            return false;
        }
        stored = sequence;
        return acks && ackPending.compareAndSet(false, true);
    }

    /** Kafka refused frame {@code sequence} for good; true for the first refusal (the one that closes it). */
    boolean refusedFrom(long sequence) {
        synchronized (this) {
            if (sequence >= refusedAt) {
                return false;
            }
            refusedAt = sequence;
            return true;
        }
    }

    /** The {@code ACK} number to send now, or 0 when the client knows it already; clears the pending mark. */
    long ackDue() {
        ackPending.set(false);
        long n = stored;
        return (n > acknowledged) ? n : 0;
    }

    /** {@code ACK n} is queued to the client (so a goodbye queued after it follows it). */
    void acknowledged(long n) {
        acknowledged = n;
    }

    /** Its reader starts waiting for Kafka (for room, or inside the producer, which may wait for metadata). */
    void waiting() {
        waitingSince = System.nanoTime();
        peer.pauseReading();
    }

    /** Its reader goes on reading. */
    void reading() {
        peer.resumeReading();
        waitingSince = 0;
    }

    /** Whether its reader has been waiting for Kafka for at least {@code nanos} at {@code now}. */
    boolean waitingFor(long nanos, long now) {
        long since = waitingSince;
        return since != 0 && now - since >= nanos;
    }

    void hold() {
        held = true;
    }

    boolean held() {
        return held;
    }

    /** Whether everything sent is stored (or refused) and, with acks, told to the client. */
    boolean settled() {
        long target = sent;
        if (refused()) {
            return true;
        }
        return stored >= target && (!acks || acknowledged >= target);
    }
}
