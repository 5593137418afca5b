package io.tcpgateway.support;

import java.nio.charset.StandardCharsets;

/** Text as the bytes a test client sends. */
public final class Bytes {

    private Bytes() {
    }

    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
