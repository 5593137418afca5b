package io.tcpgateway.framing;

import java.io.IOException;

/** A 4-byte big-endian unsigned length, then that many bytes. */
final class LengthPrefixCodec extends FrameCodec {

    LengthPrefixCodec(int maxFrameBytes) {
        super(maxFrameBytes);
    }

    /**
     * The body is taken as it arrives: a header announcing 64 KB followed by nothing costs nothing, and
     * a body that comes in pieces grows a {@link PartialFrame} held from the budget.
     */
    @Override
    protected byte[] read(ReadBuffer in) throws IOException {
        int first = in.read();
        if (first < 0) {
            throw endOfStream();
        }
        long length = first;
        for (int i = 0; i < 3; i++) {
            int next = in.readRestOfFrame();
            if (next < 0) {
                throw truncated();
            }
            length = (length << 8) | next;
        }
        if (length > maxFrameBytes) {
            throw new FrameTooLargeException(length, maxFrameBytes);
        }
        int size = (int) length;
        if (in.remaining() >= size) { // the common case: the whole body is in the buffer
            byte[] frame = new byte[size];
            in.take(frame, 0, size);
            return frame;
        }
        return readAcrossReads(in, size);
    }

    private static byte[] readAcrossReads(ReadBuffer in, int size) throws IOException {
        PartialFrame frame = new PartialFrame(in.memory());
        try {
            while (true) {
                if (!in.fillRestOfFrame()) {
                    throw truncated();
                }
                int chunk = Math.min(in.remaining(), size - frame.length());
                boolean last = frame.length() + chunk == size;
                frame.append(in, chunk, last, size);
                if (last) {
                    return frame.toFrame();
                }
            }
        }
        finally {
            frame.release();
        }
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
