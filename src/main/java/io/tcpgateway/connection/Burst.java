package io.tcpgateway.connection;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The writers to start once a connection's reader has handled what one socket read brought in.
 * While a reader works through a burst of frames, every frame it sends (its echo, a broadcast to a
 * thousand peers, a PONG) is queued at once but the receivers' writers are started only at the end of
 * the burst, so a burst of eight frames to a peer starts its writer once and goes out in one write.
 * This is Netty's flush on {@code channelReadComplete}. Bound to the reader thread as a scoped value.
 */
final class Burst {

    static final ScopedValue<Burst> CURRENT = ScopedValue.newInstance();

    private final List<OutboundQueue> waiting = new ArrayList<>();

    /** The burst of the connection whose reader is running this code, if any. */
    static @Nullable Burst current() {
        return CURRENT.isBound() ? CURRENT.get() : null;
    }

    void defer(OutboundQueue queue) {
        if (queue.deferredBy != this) {
            queue.deferredBy = this;
            waiting.add(queue);
        }
    }

    /** Starts every writer the burst deferred; the reader calls it before it reads (and may block) again. */
    void flush() {
        if (waiting.isEmpty()) {
            return;
        }
        for (OutboundQueue queue : waiting) {
            if (queue.deferredBy == this) {
                queue.deferredBy = null;
            }
            queue.startWriter();
        }
        waiting.clear();
    }
}
