package io.tcpgateway.framing;

import java.io.IOException;

/** Bytes that do not follow the listener's framing; the connection is closed. */
public class InvalidFrameException extends IOException {

    public InvalidFrameException(String message) {
        super(message);
    }
}
