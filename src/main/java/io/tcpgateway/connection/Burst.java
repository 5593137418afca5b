package io.tcpgateway.connection;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The writers to start once a connection's reader has handled what one socket read brought in.
 * While a reader works through a burst of frames, every frame the flow sends on its behalf (its echo,
 * a broadcast to a thousand peers, a PONG) is queued at once but the receivers' writers are started
 * only at the end of the burst, so a burst of eight frames to a peer starts its writer once and goes
 * out in one write. This is Netty's flush on {@code channelReadComplete}. Used by that reader only.
 *
 * <p>The reader's {@link ReadBuffer} runs it (as a {@link Runnable}) before each socket read. The first
 * deferred writer of a burst has a field of its own, the usual case (an echo, a PONG): a connection
 * that never broadcasts never allocates the list, which an idle connection would otherwise keep.
 */
final class Burst implements Runnable {

    private @Nullable OutboundQueue first;
    private @Nullable List<OutboundQueue> more;

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

    /** Starts every writer the burst deferred; the reader calls it before it reads (and may block) again. */
    void flush() {
        OutboundQueue queue = first;
        if (queue == null) {
            return;
        }
        first = null;
        start(queue);
        List<OutboundQueue> others = more;
        if (others != null && !others.isEmpty()) {
            for (OutboundQueue other : others) {
                start(other);
            }
            others.clear();
        }
    }

    private void start(OutboundQueue queue) {
        if (queue.deferredBy == this) {
            queue.deferredBy = null;
        }
        queue.startWriter();
    }

    @Override
    public void run() {
        flush();
    }
}
