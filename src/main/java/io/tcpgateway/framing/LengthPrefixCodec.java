package io.tcpgateway.framing;

import java.io.IOException;

/** A 4-byte big-endian unsigned length, then that many bytes. */
final class LengthPrefixCodec extends FrameCodec {

    LengthPrefixCodec(int maxFrameBytes) {
        super(maxFrameBytes);
    }

    @Override
    protected byte[] read(ReadBuffer in) throws IOException {
        int first = in.read();
        if (first < 0) {
            throw endOfStream();
        }
        long length = first;
        for (int i = 0; i < 3; i++) {
            int next = in.read();
            if (next < 0) {
                throw truncated();
            }
            length = (length << 8) | next;
        }
        if (length > maxFrameBytes) {
            // Checked before allocating: a 4 GB prefix costs nothing.
            throw new FrameTooLargeException(length, maxFrameBytes);
        }
        byte[] frame = new byte[(int) length];
        if (!in.readFully(frame, 0, frame.length)) {
            throw truncated();
        }
        return frame;
    }

    @Override
    public byte[] encode(byte[] payload) {
        byte[] wire = new byte[payload.length + 4];
        int length = payload.length;
        wire[0] = (byte) (length >>> 24);
        wire[1] = (byte) (length >>> 16);
        wire[2] = (byte) (length >>> 8);
        wire[3] = (byte) length;
        System.arraycopy(payload, 0, wire, 4, length);
        return wire;
    }
}
