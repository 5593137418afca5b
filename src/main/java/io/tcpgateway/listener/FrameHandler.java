package io.tcpgateway.listener;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;

/**
 * The end of a listener's flow: control frames (PING/PONG) are answered here, every other frame goes
 * to the listener's mode ({@link EchoHandler} or {@link BroadcastHandler}). One endpoint rather than a
 * filter followed by a handler: the extra channel hop and dispatch cost 2-3 % of echo throughput.
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
