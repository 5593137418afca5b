package io.tcpgateway.listener;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;

/**
 * The end of a listener's flow: control frames (PING/PONG) are answered here, every other frame goes
 * to the listener's mode: in echo mode the channel to the outbound adapter, in broadcast mode the
 * {@link BroadcastHandler}. One endpoint rather than a filter followed by a handler: the filter's
 * per-frame reply machinery cost 7 % of echo throughput (see docs/benchmark.md, "Tuning").
 */
final class FrameHandler implements MessageHandler {

    private final ControlFrames controlFrames = new ControlFrames();
    private final MessageHandler mode;

    FrameHandler(MessageHandler mode) {
        this.mode = mode;
    }

    @Override
    public void handleMessage(Message<?> message) {
        if (controlFrames.accept(message)) {
            mode.handleMessage(message);
        }
    }
}
