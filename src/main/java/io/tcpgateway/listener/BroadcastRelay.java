package io.tcpgateway.listener;

import io.tcpgateway.connection.GatewayListener;
import io.tcpgateway.connection.Peer;

/**
 * Where a broadcast listener's frames go beyond this pod: the cluster bridge when
 * {@code gateway.cluster.enabled}, nowhere otherwise. Called on the sender's reader thread, once per
 * frame, after the local peers have it; it must never block. It may hold the frame until the sender's
 * read burst ends ({@link Peer#atEndOfReadBurst}), as the local writers wait for it.
 */
@FunctionalInterface
public interface BroadcastRelay {

    BroadcastRelay NONE = (listener, payload, sender) -> { };

    void relay(GatewayListener listener, byte[] payload, Peer sender);
}
