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
    private final BroadcastRelay relay;

    BroadcastHandler(GatewayListener listener, BroadcastRelay relay) {
        this.listener = listener;
        this.relay = relay;
    }

    @Override
    public void handleMessage(Message<?> message) {
        byte[] payload = (byte[]) message.getPayload();
        Peer sender = ControlFrames.peerOf(message);
        listener.broadcastFrom(sender, listener.codec().encode(payload));
        relay.relay(listener, payload, sender);
    }
}
