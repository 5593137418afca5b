package io.tcpgateway.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tcpgateway.connection.ClosedPeer;
import io.tcpgateway.connection.Peer;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One connection as the admin API shows it. Times are ISO-8601 UTC strings; {@code closedAt} and
 * {@code reason} appear only for closed connections; {@code proxyAddress} is always there, null
 * unless a PROXY header named the client (then it is the load balancer's address); so is
 * {@code principal}, null unless the client authenticated (CONTRACT section 11).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionDescriptor(String id, String listener, String remoteAddress, int remotePort,
        @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String proxyAddress,
        @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String principal, String connectedAt, String lastReadAt,
        String lastWriteAt, long framesIn, long framesOut, long bytesIn, long bytesOut, long pendingBytes,
        @Nullable String closedAt, @Nullable String reason) {

    static ConnectionDescriptor of(Peer peer) {
        return new ConnectionDescriptor(peer.id(), peer.listener().name(), peer.remoteAddress(), peer.remotePort(),
                peer.proxyAddress(), peer.principal(), peer.connectedAt().toString(),
                Instant.ofEpochMilli(peer.lastReadAtMillis()).toString(),
                Instant.ofEpochMilli(peer.lastWriteAtMillis()).toString(), peer.framesIn(), peer.framesOut(),
                peer.bytesIn(), peer.bytesOut(), peer.pendingBytes(), null, null);
    }

    static ConnectionDescriptor of(ClosedPeer peer) {
        return new ConnectionDescriptor(peer.id(), peer.listener(), peer.remoteAddress(), peer.remotePort(),
                peer.proxyAddress(), peer.principal(), peer.connectedAt().toString(), peer.lastReadAt().toString(),
                peer.lastWriteAt().toString(),
                peer.framesIn(), peer.framesOut(), peer.bytesIn(), peer.bytesOut(), 0,
                String.valueOf(peer.closedAt()), String.valueOf(peer.reason()));
    }
}
