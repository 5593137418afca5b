package io.tcpgateway.connection;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A closed connection as the registry's history remembers it: the final figures and why it closed.
 * A record of values, so a thousand of them hold no sockets, buffers or queued frames.
 */
public record ClosedPeer(String id, long sequence, String listener, String remoteAddress, int remotePort,
        @Nullable String proxyAddress, @Nullable String principal, Instant connectedAt,
        Instant lastReadAt, Instant lastWriteAt, long framesIn, long framesOut, long bytesIn, long bytesOut,
        Instant closedAt, CloseReason reason) {

    /** What is remembered of {@code peer}, closed: plain values, none of its buffers or sockets. */
    static ClosedPeer of(Peer peer) {
        return new ClosedPeer(peer.id(), peer.sequence(), peer.listener().name(), peer.remoteAddress(), peer.remotePort(),
                peer.proxyAddress(), peer.principal(), peer.connectedAt(), Instant.ofEpochMilli(peer.lastReadAtMillis()),
                Instant.ofEpochMilli(peer.lastWriteAtMillis()), peer.framesIn(), peer.framesOut(), peer.bytesIn(),
                peer.bytesOut(), Objects.requireNonNullElseGet(peer.closedAt(), Instant::now),
                Objects.requireNonNullElse(peer.closeReason(), CloseReason.ERROR));
    }
}
