package io.tcpgateway.framing;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** 0x02, payload, 0x03. Anything but 0x02 where a frame should start breaks the framing. */
final class StxEtxCodec extends FrameCodec {

    private static final byte STX = 0x02;
    private static final byte ETX = 0x03;

    StxEtxCodec(int maxFrameBytes) {
        super(maxFrameBytes);
    }

    @Override
    protected byte[] read(ReadBuffer in) throws IOException {
        int start = in.read();
        if (start < 0) {
            throw endOfStream();
        }
        if (start != STX) {
            throw new InvalidFrameException(String.format("expected STX (0x02), got 0x%02x", start));
        }
        byte[] frame = readUntil(in, ETX, maxFrameBytes, true);
        if (frame == null) {
            throw truncated();
        }
        return frame;
    }

    @Override
    protected @Nullable String delimiterProblem(byte[] payload) {
        return contains(payload, ETX) ? "it contains ETX (0x03), which ends a frame in stx-etx framing" : null;
    }

    @Override
    public byte[] encode(byte[] payload) {
        byte[] wire = new byte[payload.length + 2];
        wire[0] = STX;
        System.arraycopy(payload, 0, wire, 1, payload.length);
        wire[wire.length - 1] = ETX;
        return wire;
    }
}
