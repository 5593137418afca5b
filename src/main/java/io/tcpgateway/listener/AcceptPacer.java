package io.tcpgateway.listener;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Paces a listener's accepts to {@code max-connect-rate} per second (CONTRACT section 2), as a
 * generic cell rate algorithm (a token bucket told by one timestamp): a burst of a tenth of a
 * second's worth is taken at once, a storm at the rate. The accept loop simply waits for its turn;
 * meanwhile new connections wait in the kernel's backlog, and nobody is refused for it. Used by the
 * accept loop's one thread only.
 */
final class AcceptPacer {

    private final long interval;
    private final long tolerance;
    /** The theoretical arrival time of the next accept, as a {@link System#nanoTime()}. */
    private long next = System.nanoTime();

    /** @param perSecond accepts per second; 0 = no pacing */
    AcceptPacer(int perSecond) {
        this.interval = (perSecond > 0) ? TimeUnit.SECONDS.toNanos(1) / perSecond : 0;
        this.tolerance = (Math.max(1, perSecond / 10) - 1) * interval;
    }

    /** Waits until the next accept is within the rate; returns how long it was due to wait (0: not at all). */
    long awaitTurn() {
        if (interval == 0) {
            return 0;
        }
        long now = System.nanoTime();
        long due = Math.max(next, now);
        long allowedAt = due - tolerance;
        long waited = Math.max(0, allowedAt - now);
        while (now < allowedAt) {
            LockSupport.parkNanos(this, allowedAt - now);
            now = System.nanoTime();
        }
        next = due + interval;
        return waited;
    }

    /** Gives back the turn just taken: the connection accepted with it was refused at once (a ban). */
    void giveBack() {
        next -= interval;
    }
}
