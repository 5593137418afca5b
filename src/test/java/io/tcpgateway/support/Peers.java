package io.tcpgateway.support;

import org.awaitility.Awaitility;

import io.tcpgateway.connection.Peer;
import io.tcpgateway.connection.PeerRegistry;
import java.util.Objects;

/** Finds the gateway's side of a test client's connection: the peer whose remote port is the client's local port. */
public final class Peers {

    private Peers() {
    }

    /** The peer of this client, or null while the gateway has not registered it (yet, or any more). */
    public static Peer of(PeerRegistry registry, TcpTestClient client) {
        int port = client.socket().getLocalPort();
        return registry.all().stream().filter((peer) -> peer.remotePort() == port).findFirst().orElse(null);
    }

    /** Waits until the gateway has registered this client, and returns its peer. */
    public static Peer awaitPeer(PeerRegistry registry, TcpTestClient client) {
        return Awaitility.await().until(() -> of(registry, client), Objects::nonNull);
    }
}
