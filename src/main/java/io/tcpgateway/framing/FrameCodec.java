package io.tcpgateway.framing;

import io.tcpgateway.config.Framing;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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

    /**
     * Reads up to (not including) {@code delimiter}, consuming it; null when the stream ends before a first
     * byte. {@code begun}: a frame start marker was read already, so the first wait is a wait for the rest
     * of a frame. A frame that is not whole in the read buffer is put together by {@link #readAcrossReads}.
     */
    protected final byte @Nullable [] readUntil(ReadBuffer in, byte delimiter, int limit, boolean begun) throws IOException {
        if (!(begun ? in.fillRestOfFrame() : in.fill())) {
            return null;
        }
        int index = in.indexOf(delimiter);
        if (index >= 0 && index <= limit) { // the common case: the whole frame is in the buffer
            byte[] frame = new byte[index];
            in.take(frame, 0, index);
            in.skip(1);
            return frame;
        }
        return readAcrossReads(in, delimiter, limit);
    }

    private byte[] readAcrossReads(ReadBuffer in, byte delimiter, int limit) throws IOException {
        PartialFrame frame = new PartialFrame(in.memory());
        try {
            while (true) {
                int index = in.indexOf(delimiter);
                int chunk = (index >= 0) ? index : in.remaining();
                if ((long) frame.length() + chunk > limit) {
                    throw new FrameTooLargeException(-1, maxFrameBytes);
                }
                frame.append(in, chunk, index >= 0, limit);
                if (index >= 0) {
                    in.skip(1);
                    return frame.toFrame();
                }
                if (!in.fillRestOfFrame()) {
                    throw truncated();
                }
            }
        }
        finally {
            frame.release();
        }
    }
}
