package io.tcpgateway.framing;

import java.io.IOException;

/** A frame longer than the listener's {@code max-frame-bytes}; its connection is closed. */
public class FrameTooLargeException extends IOException {

    public FrameTooLargeException(long length, int max) {
        super("frame of " + (length < 0 ? "more than " + max : String.valueOf(length))
                + " bytes is over max-frame-bytes " + max);
    }
}
