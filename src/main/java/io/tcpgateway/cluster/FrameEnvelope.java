package io.tcpgateway.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Broadcast frames as they travel through Redis: the origin node id (so the origin skips its own
 * frames) and the payloads, unframed (each pod encodes them with its own listener's framing).
 * <ul>
 * <li>One frame ({@code <prefix>:frames:<listener>}): one byte of node-id length, the node id in UTF-8, the
 * payload bytes.</li>
 * <li>A read burst ({@code <prefix>:bursts:<listener>}): the same origin, four bytes of frame count, then for
 * each frame, in the order its sender sent them, four bytes of payload length and the payload (numbers
 * big-endian). The count makes an envelope cut short at a frame's end as plainly wrong as one cut anywhere.</li>
 * </ul>
 */
record FrameEnvelope(String origin, List<byte[]> payloads) {

    static byte[] encode(byte[] originUtf8, byte[] payload) {
        byte[] bytes = new byte[1 + originUtf8.length + payload.length];
        bytes[0] = (byte) originUtf8.length;
        System.arraycopy(originUtf8, 0, bytes, 1, originUtf8.length);
        System.arraycopy(payload, 0, bytes, 1 + originUtf8.length, payload.length);
        return bytes;
    }

    /** A burst of frames, {@code payloadBytes} being the sum of their lengths. */
    static byte[] encodeBurst(byte[] originUtf8, List<byte[]> payloads, int payloadBytes) {
        byte[] bytes = new byte[1 + originUtf8.length + 4 + 4 * payloads.size() + payloadBytes];
        bytes[0] = (byte) originUtf8.length;
        System.arraycopy(originUtf8, 0, bytes, 1, originUtf8.length);
        int at = 1 + originUtf8.length;
        putInt(bytes, at, payloads.size());
        at += 4;
        for (byte[] payload : payloads) {
            putInt(bytes, at, payload.length);
            System.arraycopy(payload, 0, bytes, at + 4, payload.length);
            at += 4 + payload.length;
        }
        return bytes;
    }

    private static void putInt(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }

    private static int getInt(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 24) | ((bytes[at + 1] & 0xff) << 16) | ((bytes[at + 2] & 0xff) << 8) | (bytes[at + 3] & 0xff);
    }

    /** Null for bytes that are not an envelope (something else published on the channel). */
    static @Nullable FrameEnvelope decode(byte[] bytes) {
        int start = payloadsStart(bytes);
        if (start < 0) {
            return null;
        }
        return new FrameEnvelope(origin(bytes), List.of(Arrays.copyOfRange(bytes, start, bytes.length)));
    }

    /** Null for bytes that are not a burst envelope, whole (something else, or cut short). */
    static @Nullable FrameEnvelope decodeBurst(byte[] bytes) {
        int at = payloadsStart(bytes);
        if (at < 0 || bytes.length - at < 4) {
            return null;
        }
        int count = getInt(bytes, at);
        at += 4;
        if (count < 0 || count > (bytes.length - at) / 4) { // each frame takes its four length bytes at least
            return null;
        }
        List<byte[]> payloads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (bytes.length - at < 4) {
                return null;
            }
            int length = getInt(bytes, at);
            at += 4;
            if (length < 0 || length > bytes.length - at) {
                return null;
            }
            payloads.add(Arrays.copyOfRange(bytes, at, at + length));
            at += length;
        }
        return (at == bytes.length) ? new FrameEnvelope(origin(bytes), payloads) : null;
    }

    /** Whether the envelope came from the node whose id is {@code originUtf8}, without decoding it. */
    static boolean isFrom(byte[] bytes, byte[] originUtf8) {
        return payloadsStart(bytes) == 1 + originUtf8.length
                && Arrays.equals(bytes, 1, 1 + originUtf8.length, originUtf8, 0, originUtf8.length);
    }

    private static int payloadsStart(byte[] bytes) {
        if (bytes.length < 1) {
            return -1;
        }
        int start = 1 + (bytes[0] & 0xff);
        return (bytes.length < start) ? -1 : start;
    }

    private static String origin(byte[] bytes) {
        return new String(bytes, 1, bytes[0] & 0xff, StandardCharsets.UTF_8);
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
