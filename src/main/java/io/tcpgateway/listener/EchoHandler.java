package io.tcpgateway.listener;

import io.tcpgateway.connection.Peer;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;

/**
 * Echo mode: the frame goes back to its sender's outbound queue. The message already carries the
 * sender's {@code Peer}, so this skips what {@code Tcp.outboundAdapter} would do per frame (look the
 * connection up by its string id, then call the same queueing {@code send}); see README, "Tuning".
 */
final class EchoHandler implements MessageHandler {

    @Override
    public void handleMessage(Message<?> message) {
        Peer sender = ControlFrames.peerOf(message);
        sender.sendPayload((byte[]) message.getPayload(), sender);
    }
}
