package io.tcpgateway.listener;

import io.tcpgateway.connection.Peer;
import io.tcpgateway.framing.LivenessFrames;
import java.util.Arrays;
import java.util.Objects;
import org.springframework.integration.core.MessageSelector;
import org.springframework.messaging.Message;

/**
 * The liveness frames a client may send: {@code PING} is answered with {@code PONG} to that client
 * alone, {@code PONG} is only a sign of life (already stamped when the frame was read). Neither goes
 * further into the flow.
 */
final class ControlFrames implements MessageSelector {

    /** Handles a control frame; true when the message is an ordinary frame that goes on. */
    @Override
    public boolean accept(Message<?> message) {
        byte[] frame = (byte[]) message.getPayload();
        if (frame.length != 4) {
            return true;
        }
        if (Arrays.equals(frame, LivenessFrames.PING)) {
            Peer sender = peerOf(message);
            sender.sendPayload(LivenessFrames.PONG, sender);
            return false;
        }
        return !Arrays.equals(frame, LivenessFrames.PONG);
    }

    static Peer peerOf(Message<?> message) {
        return (Peer) Objects.requireNonNull(message.getHeaders().get(Peer.HEADER), "set by the message mapper");
    }
}
