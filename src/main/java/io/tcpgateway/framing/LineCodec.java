package io.tcpgateway.framing;

import java.io.IOException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** Frames end with LF; a CR right before the LF is dropped; frames are sent ending with {@code \n}. */
final class LineCodec extends FrameCodec {

    private static final byte LF = '\n';
    private static final byte CR = '\r';

    LineCodec(int maxFrameBytes) {
        super(maxFrameBytes);
    }

    @Override
    protected byte[] read(ReadBuffer in) throws IOException {
        // One extra byte of room so that a max-length line from telnet (ending CR LF) still fits.
        byte[] line = readUntil(in, LF, maxFrameBytes + 1, false);
        if (line == null) {
            throw endOfStream();
        }
        int length = line.length;
        if (length > 0 && line[length - 1] == CR) {
            length--;
        }
        if (length > maxFrameBytes) {
            throw new FrameTooLargeException(length, maxFrameBytes);
        }
        return (length == line.length) ? line : Arrays.copyOf(line, length);
    }

    @Override
    protected @Nullable String delimiterProblem(byte[] payload) {
        return contains(payload, LF) ? "it contains a line feed, which ends a frame in line framing" : null;
    }

    @Override
    public byte[] encode(byte[] payload) {
        byte[] wire = Arrays.copyOf(payload, payload.length + 1);
        wire[payload.length] = LF;
        return wire;
    }
}
