package io.tcpgateway.kafka;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Bytes of frames read and not yet stored by Kafka, gateway-wide ({@code gateway.kafka.max-in-flight-bytes}).
 * A reader that would go over it waits here (its client held by TCP flow control) until Kafka has stored
 * enough; the bound stays below the producer's own {@code buffer-memory}, so a send never blocks on the
 * producer's memory, and a slow or absent Kafka costs a bounded heap however many clients keep sending.
 * Waiters are woken oldest first, one at a time, each waking the next while room is left; a frame larger
 * than the whole budget goes when nothing else is in flight.
 */
final class InFlightBudget {

    /** A waiter checks again after this long even unwoken (a wake-up lost to a race costs no more). */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final long maxBytes;
    private final AtomicLong held = new AtomicLong();
    private final Queue<Thread> waiters = new ConcurrentLinkedQueue<>();

    InFlightBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    long held() {
        return held.get();
    }

    boolean tryHold(int bytes) {
        long current;
        do {
            current = held.get();
            if (current > 0 && current + bytes > maxBytes) {
                return false;
            }
        }
        while (!held.compareAndSet(current, current + bytes));
        return true;
    }

    /**
     * Holds {@code bytes}, waiting while they are not left; false (nothing held) when {@code gaveUp} turned true
     * meanwhile (the connection closed).
     */
    boolean hold(int bytes, BooleanSupplier gaveUp) {
        if (waiters.isEmpty() && tryHold(bytes)) {
            return true;
        }
        Thread me = Thread.currentThread();
        waiters.add(me);
        try {
            while (waiters.peek() != me || !tryHold(bytes)) {
                if (gaveUp.getAsBoolean()) {
                    return false;
                }
                LockSupport.parkNanos(this, RECHECK_NANOS);
            }
            return true;
        }
        finally {
            waiters.remove(me);
            wakeFirst(); // the next in line may fit too
        }
    }

    void release(int bytes) {
        held.addAndGet(-bytes);
        wakeFirst();
    }

    private void wakeFirst() {
        Thread first = waiters.peek();
        if (first != null) {
            LockSupport.unpark(first);
        }
    }
}
