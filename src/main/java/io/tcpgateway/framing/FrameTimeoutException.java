package io.tcpgateway.framing;

import java.io.IOException;

/**
 * A partial frame made no progress for {@code gateway.inbound.frame-timeout}: no byte of it arrived, or
 * its reader waited that long for memory. Its connection is closed (reason {@code frame-timeout}).
 */
public class FrameTimeoutException extends IOException {

    public FrameTimeoutException(String message) {
        super(message);
    }
}
