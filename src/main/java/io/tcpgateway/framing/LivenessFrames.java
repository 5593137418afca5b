package io.tcpgateway.framing;

import java.nio.charset.StandardCharsets;

/**
 * The liveness frames a client may send (CONTRACT section 3): {@code PING}, answered with {@code PONG} to
 * that client alone, and {@code PONG}, a sign of life only. Payloads, framed by each listener's codec.
 */
public final class LivenessFrames {

    public static final byte[] PING = "PING".getBytes(StandardCharsets.US_ASCII);
    public static final byte[] PONG = "PONG".getBytes(StandardCharsets.US_ASCII);

    private LivenessFrames() {
    }
}
