package io.tcpgateway.proxy;

import java.io.IOException;

/** A PROXY header that is malformed, truncated, too slow, or not allowed from where it came. */
public class InvalidProxyHeaderException extends IOException {

    public InvalidProxyHeaderException(String message) {
        super(message);
    }
}
