package io.tcpgateway.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A broadcast frame as it travels through Redis: the origin node id (so the origin skips its own
 * frames) and the payload, unframed (each pod encodes it with its own listener's framing).
 * Layout: one byte of node-id length, the node id in UTF-8, the payload bytes.
 */
record FrameEnvelope(String origin, byte[] payload) {

    static byte[] encode(byte[] originUtf8, byte[] payload) {
        byte[] bytes = new byte[1 + originUtf8.length + payload.length];
        bytes[0] = (byte) originUtf8.length;
        System.arraycopy(originUtf8, 0, bytes, 1, originUtf8.length);
        System.arraycopy(payload, 0, bytes, 1 + originUtf8.length, payload.length);
        return bytes;
    }

    /** Null for bytes that are not an envelope (something else published on the channel). */
    static @Nullable FrameEnvelope decode(byte[] bytes) {
        if (bytes.length < 1) {
            return null;
        }
        int originLength = bytes[0] & 0xff;
        if (bytes.length < 1 + originLength) {
            return null;
        }
        String origin = new String(bytes, 1, originLength, StandardCharsets.UTF_8);
        return new FrameEnvelope(origin, Arrays.copyOfRange(bytes, 1 + originLength, bytes.length));
    }

    /** Node ids go into one length byte; longer ones are refused at start-up by the validator. */
    static byte[] originBytes(String nodeId) {
        byte[] bytes = nodeId.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 255) {
            throw new IllegalArgumentException("node id longer than 255 bytes: " + nodeId);
        }
        return bytes;
    }
}
