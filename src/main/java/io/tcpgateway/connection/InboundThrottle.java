package io.tcpgateway.connection;

import io.tcpgateway.config.ListenerProperties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * {@code max-frames-per-second} with {@code max-frames-burst} for one connection (CONTRACT section 2): a
 * token bucket told by one timestamp (a generic cell rate algorithm). After each frame the reader
 * checks it; a connection over the rate is simply not read from until it is back under: its bytes wait
 * in the kernel's buffers and TCP flow control slows the client. Nothing is dropped or reordered. Each
 * pause is counted in {@code gateway.inbound.throttled}. Used by the connection's reader thread only.
 */
final class InboundThrottle {

    private final long interval;
    private final long tolerance;
    /** The theoretical arrival time of the next frame, as a {@link System#nanoTime()}. */
    private long next = System.nanoTime();

    private InboundThrottle(int perSecond, int burst) {
        this.interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
        this.tolerance = (long) (Math.max(1, burst) - 1) * interval;
    }

    /** The throttle for a new connection of {@code listener}, or null when it has no frame rate limit. */
    static @Nullable InboundThrottle of(GatewayListener listener) {
        ListenerProperties properties = listener.properties();
        return (properties.maxFramesPerSecond() > 0)
                ? new InboundThrottle(properties.maxFramesPerSecond(), properties.framesBurst()) : null;
    }

    /**
     * One frame was handled: takes its place in the bucket and, when the next frame would be over the
     * rate, waits until it is not (after starting the writes the burst queued, so replies are not held).
     */
    void afterFrame(Burst burst, ListenerStats stats) {
        long now = System.nanoTime();
        next = Math.max(next, now) + interval;
        long allowedAt = next - tolerance;
        if (allowedAt <= now) {
            return;
        }
        burst.run();
        stats.readerThrottled();
        while (now < allowedAt) {
            LockSupport.parkNanos(this, allowedAt - now);
            now = System.nanoTime();
        }
    }
}
