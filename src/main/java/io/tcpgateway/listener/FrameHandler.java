package io.tcpgateway.listener;

import io.tcpgateway.connection.Peer;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;

/**
 * The end of a listener's flow: on an {@code auth: token} listener the frames of a peer that has not
 * authenticated go to {@link AuthFrames}; control frames (PING/PONG) are answered here; every other frame
 * goes to the listener's mode: in echo mode the channel to the outbound adapter, in broadcast mode the
 * {@link BroadcastHandler}, in forward mode the {@link FrameForwarding}'s handler (Kafka). One endpoint rather than a filter followed by a handler: the filter's
 * per-frame reply machinery cost 7 % of echo throughput (see docs/benchmark.md, "Tuning").
 */
final class FrameHandler implements MessageHandler {

    private final ControlFrames controlFrames = new ControlFrames();
    private final MessageHandler mode;
    private final @Nullable AuthFrames authFrames;

    /** @param authFrames for an {@code auth: token} listener; null otherwise */
    FrameHandler(MessageHandler mode, @Nullable AuthFrames authFrames) {
        this.mode = mode;
        this.authFrames = authFrames;
    }

    @Override
    public void handleMessage(Message<?> message) {
        if (authFrames != null) {
            Peer sender = ControlFrames.peerOf(message);
            if (sender.awaitsAuthentication()) {
                authFrames.handle(sender, (byte[]) message.getPayload());
                return;
            }
        }
        if (controlFrames.accept(message)) {
            mode.handleMessage(message);
        }
    }
}
