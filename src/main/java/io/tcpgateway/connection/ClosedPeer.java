package io.tcpgateway.connection;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A closed connection as the registry's history remembers it: the final figures and why it closed.
 * A record of values, so a thousand of them hold no sockets, buffers or queued frames.
 */
public record ClosedPeer(String id, long sequence, String listener, String remoteAddress, int remotePort,
        @Nullable String proxyAddress, @Nullable String principal, Instant connectedAt,
        Instant lastReadAt, Instant lastWriteAt, long framesIn, long framesOut, long bytesIn, long bytesOut,
        Instant closedAt, CloseReason reason) {
}
