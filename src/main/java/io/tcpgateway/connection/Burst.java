package io.tcpgateway.connection;

import java.util.ArrayList;
import java.util.List;

/**
 * The writers to start once a connection's reader has handled what one socket read brought in.
 * While a reader works through a burst of frames, every frame the flow sends on its behalf (its echo,
 * a broadcast to a thousand peers, a PONG) is queued at once but the receivers' writers are started
 * only at the end of the burst, so a burst of eight frames to a peer starts its writer once and goes
 * out in one write. This is Netty's flush on {@code channelReadComplete}. Used by that reader only.
 */
final class Burst {

    private final List<OutboundQueue> waiting = new ArrayList<>();

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
