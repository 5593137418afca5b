package io.tcpgateway.connection;

import io.tcpgateway.config.GatewayProperties;
import io.tcpgateway.framing.FrameTimeoutException;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The gateway-wide budget for bytes held while clients' frames arrive in pieces
 * ({@code gateway.inbound.max-buffered-bytes}, CONTRACT section 4): partial frames and large read
 * buffers beyond a small allowance per connection. Without it, thousands of connections that each send
 * most of a long frame (or just a length prefix announcing one) hold {@code max-connections ×
 * max-frame-bytes}, far above any heap.
 *
 * <p>A reader that wants more than is left stops reading: it waits here, and TCP flow control holds its
 * client. Bytes given back wake the waiters holding the least first, so small frames go on and the
 * connections holding the largest partial frames wait longest; a wait that outlasts the frame timeout
 * closes its connection ({@code frame-timeout}). Holding and giving back are one atomic add each; the
 * lock is taken only while someone waits.
 */
@Component
public class InboundBudget {

    private final long maxBytes;
    private final long frameTimeoutNanos;
    private final AtomicLong held = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    /** Readers waiting for bytes, those holding the least first (then the earliest). */
    private final TreeSet<Waiter> waiters = new TreeSet<>(
            Comparator.comparingLong(Waiter::alreadyHeld).thenComparingLong(Waiter::sequence));
    private volatile int waiting;
    private long sequence;
    private final LongAdder pauses = new LongAdder();

    @Autowired
    public InboundBudget(GatewayProperties properties) {
        this(properties.inbound().budgetBytes(), properties.inbound().frameTimeout());
    }

    InboundBudget(long maxBytes, Duration frameTimeout) {
        this.maxBytes = maxBytes;
        this.frameTimeoutNanos = frameTimeout.toNanos();
    }

    /** How long a partial frame may make no progress ({@code gateway.inbound.frame-timeout}). */
    long frameTimeoutNanos() {
        return frameTimeoutNanos;
    }

    private record Waiter(Thread thread, int wanted, long alreadyHeld, long sequence) {
    }

    /** Holds {@code bytes} if that many are left; false (nothing held) otherwise. */
    boolean tryHold(int bytes) {
        long current;
        do {
            current = held.get();
            if (current + bytes > maxBytes) {
                return false;
            }
        }
        while (!held.compareAndSet(current, current + bytes));
        return true;
    }

    /**
     * Holds {@code bytes}, waiting (parked: the reader stops reading) until they are left, at most the
     * frame timeout.
     *
     * @param alreadyHeld what the asking connection holds now: those holding less are woken first
     * @param closed whether the connection was closed meanwhile (it wakes the reader when it is)
     * @throws FrameTimeoutException when the wait outlasts the frame timeout
     * @throws IOException when the connection was closed
     */
    void hold(int bytes, long alreadyHeld, BooleanSupplier closed) throws IOException {
        if (tryHold(bytes)) {
            return;
        }
        pauses.increment();
        long deadline = System.nanoTime() + frameTimeoutNanos;
        Waiter waiter = enqueue(bytes, alreadyHeld);
        try {
            while (!tryHold(bytes)) {
                if (closed.getAsBoolean()) {
                    throw new IOException("closed while waiting for memory");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new FrameTimeoutException("waited gateway.inbound.frame-timeout for memory to take more of a "
                            + "partial frame (gateway.inbound.max-buffered-bytes is used up)");
                }
                LockSupport.parkNanos(this, left);
            }
        }
        finally {
            dequeue(waiter);
        }
    }

    /** Gives back {@code bytes}; wakes waiters that fit now, those holding the least first. */
    void release(int bytes) {
        long left = maxBytes - held.addAndGet(-bytes);
        if (waiting == 0) {
            return;
        }
        lock.lock();
        try {
            for (Waiter waiter : waiters) {
                if (left <= 0) {
                    break;
                }
                if (waiter.wanted() <= left) {
                    left -= waiter.wanted();
                    LockSupport.unpark(waiter.thread());
                }
            }
        }
        finally {
            lock.unlock();
        }
    }

    private Waiter enqueue(int bytes, long alreadyHeld) {
        lock.lock();
        try {
            Waiter waiter = new Waiter(Thread.currentThread(), bytes, alreadyHeld, sequence++);
            waiters.add(waiter);
            waiting = waiters.size();
            return waiter;
        }
        finally {
            lock.unlock();
        }
    }

    private void dequeue(Waiter waiter) {
        lock.lock();
        try {
            waiters.remove(waiter);
            waiting = waiters.size();
        }
        finally {
            lock.unlock();
        }
    }

    /** Bytes held now, gateway-wide. */
    public long heldBytes() {
        return held.get();
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Readers waiting for memory now. */
    public int waitingReaders() {
        return waiting;
    }

    /** Times a reader had to wait for memory, since start. */
    public long pauses() {
        return pauses.sum();
    }
}
