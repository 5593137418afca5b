package io.tcpgateway.listener;

import io.tcpgateway.connection.GatewayListener;
import io.tcpgateway.connection.Peer;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;

/**
 * Broadcast mode: the frame is encoded once and the same bytes are offered to every other peer's
 * outbound queue (and the sender's too with {@code include-sender}), then the payload goes to the
 * {@link BroadcastRelay} (the other pods, in a cluster). Offering never blocks, so one
 * slow receiver costs the others nothing; building a message per receiver would cost an allocation
 * and a header map each for no gain.
 */
final class BroadcastHandler implements MessageHandler {

    private final GatewayListener listener;
    private final boolean includeSender;
    /** {@code auth: token}: peers that have not authenticated yet receive no broadcast. */
    private final boolean requiresToken;
    private final BroadcastRelay relay;

    BroadcastHandler(GatewayListener listener, BroadcastRelay relay) {
        this.listener = listener;
        this.relay = relay;
        this.includeSender = listener.properties().includeSender();
        this.requiresToken = listener.requiresToken();
    }

    @Override
    public void handleMessage(Message<?> message) {
        Peer sender = ControlFrames.peerOf(message);
        byte[] wire = listener.codec().encode((byte[]) message.getPayload());
        if (requiresToken) {
            offerToAuthenticated(wire, sender);
        }
        else {
            for (Peer peer : listener.peers()) {
                if (includeSender || peer != sender) {
                    peer.send(wire, sender);
                }
            }
        }
        relay.relay(listener, (byte[]) message.getPayload());
    }

    /** An {@code auth: token} listener: peers that have not authenticated yet are skipped. */
    private void offerToAuthenticated(byte[] wire, Peer sender) {
        for (Peer peer : listener.peers()) {
            if ((includeSender || peer != sender) && !peer.awaitsAuthentication()) {
                peer.send(wire, sender);
            }
        }
    }
}
