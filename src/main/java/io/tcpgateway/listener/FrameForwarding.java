package io.tcpgateway.listener;

import io.tcpgateway.connection.GatewayListener;
import org.springframework.messaging.MessageHandler;

/**
 * Where a {@code forward} listener's frames go (Kafka, CONTRACT section 15): the end of that listener's flow.
 * Its handler is called on the connection's reader thread, one frame after the other, and may keep the
 * reader waiting: that is how back-pressure reaches the client (TCP flow control).
 */
public interface FrameForwarding {

    /** The handler of every ordinary frame (control frames and logins aside) of {@code listener}'s connections. */
    MessageHandler forwarderOf(GatewayListener listener);
}
