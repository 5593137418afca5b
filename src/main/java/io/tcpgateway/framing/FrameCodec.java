package io.tcpgateway.framing;

import io.tcpgateway.config.Framing;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.springframework.core.serializer.Deserializer;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * Reads frames from a connection's stream and encodes payloads for the wire. Reading throws
 * {@link SoftEndOfStreamException} at a clean end of stream (between frames), which Spring Integration
 * treats as an orderly close, {@link FrameTooLargeException} over the size limit, and
 * {@link InvalidFrameException} for bytes that break the framing.
 */
public abstract class FrameCodec implements Deserializer<byte[]> {

    protected final int maxFrameBytes;

    protected FrameCodec(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    public static FrameCodec of(Framing framing, int maxFrameBytes) {
        return switch (framing) {
            case LINE -> new LineCodec(maxFrameBytes);
            case LENGTH_PREFIX -> new LengthPrefixCodec(maxFrameBytes);
            case STX_ETX -> new StxEtxCodec(maxFrameBytes);
        };
    }

    @Override
    public final byte[] deserialize(InputStream inputStream) throws IOException {
        return read(ReadBuffer.of(inputStream));
    }

    protected abstract byte[] read(ReadBuffer in) throws IOException;

    /**
     * Why this listener cannot carry the payload as one frame (longer than {@code max-frame-bytes}, or
     * holding the frame delimiter), or null when it can. Frames read from clients always can; this is
     * for text an operator sends, which must not become a frame the listener would refuse from a client.
     */
    public final @Nullable String cannotCarry(byte[] payload) {
        if (payload.length > maxFrameBytes) {
            return "it is " + payload.length + " bytes long, over the listener's max-frame-bytes of " + maxFrameBytes;
        }
        return delimiterProblem(payload);
    }

    /** Why the payload cannot be one frame of this framing although its size fits, or null. */
    protected @Nullable String delimiterProblem(byte[] payload) {
        return null;
    }

    protected static boolean contains(byte[] payload, byte wanted) {
        for (byte b : payload) {
            if (b == wanted) {
                return true;
            }
        }
        return false;
    }

    /** The payload as it goes on the wire, framing included. Encoded once, shared by every receiver. */
    public abstract byte[] encode(byte[] payload);

    protected static SoftEndOfStreamException endOfStream() {
        return new SoftEndOfStreamException("Stream closed between frames");
    }

    /** The peer closed with a frame half sent: an orderly close for the peer, the partial frame is dropped. */
    protected static IOException truncated() {
        return new EOFException("Stream closed in the middle of a frame");
    }

    /** Reads up to (not including) {@code delimiter}, consuming it; null when the stream ends first. */
    protected final byte @Nullable [] readUntil(ReadBuffer in, byte delimiter, int limit) throws IOException {
        byte[] frame = null;
        int length = 0;
        while (in.fill()) {
            int index = in.indexOf(delimiter);
            int chunk = (index >= 0) ? index : in.remaining();
            if ((long) length + chunk > limit) {
                throw new FrameTooLargeException(-1, maxFrameBytes);
            }
            if (frame == null && index >= 0) {
                frame = new byte[chunk]; // the common case: the whole frame is in the buffer
            }
            else if (frame == null || frame.length < length + chunk) {
                frame = grow(frame, length, length + chunk, index >= 0, limit);
            }
            in.take(frame, length, chunk);
            length += chunk;
            if (index >= 0) {
                in.skip(1);
                return (frame.length == length) ? frame : Arrays.copyOf(frame, length);
            }
        }
        return (length == 0 && frame == null) ? null : rethrowTruncated();
    }

    private static byte[] grow(byte @Nullable [] frame, int length, int needed, boolean exact, int limit) {
        int capacity = exact ? needed : (int) Math.min(limit, Math.max(needed, Math.max(256L, 2L * length)));
        byte[] grown = new byte[capacity];
        if (frame != null) {
            System.arraycopy(frame, 0, grown, 0, length);
        }
        return grown;
    }

    private static byte[] rethrowTruncated() throws IOException {
        throw truncated();
    }
}
