package io.tcpgateway.listener;

import io.tcpgateway.connection.GatewayListener;
/**
 * Where a broadcast listener's frames go beyond this pod: the cluster bridge when
 * {@code gateway.cluster.enabled}, nowhere otherwise. Called on the sender's reader thread, once per
 * frame, after the local peers have it; it must never block.
 */
@FunctionalInterface
public interface BroadcastRelay {

    BroadcastRelay NONE = (listener, payload) -> { };

    void relay(GatewayListener listener, byte[] payload);
}
