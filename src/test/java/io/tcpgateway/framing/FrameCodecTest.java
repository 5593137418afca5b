package io.tcpgateway.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tcpgateway.config.Framing;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/** The codecs on their own: round trips, limits, and how a stream may end. */
class FrameCodecTest {

    @Test
    void everyFramingRoundTripsPayloadsThatSpanManyReadBuffers() throws IOException {
        byte[] big = new byte[3 * ReadBuffer.LARGE + 17];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        for (Framing framing : Framing.values()) {
            FrameCodec codec = FrameCodec.of(framing, 1 << 20);
            InputStream in = new ReadBuffer(stream(concat(codec.encode(big), codec.encode(new byte[0]), codec.encode(bytes("x")))));
            assertThat(codec.deserialize(in)).as(framing.name()).isEqualTo(big);
            assertThat(codec.deserialize(in)).as(framing.name()).isEmpty();
            assertThat(codec.deserialize(in)).as(framing.name()).isEqualTo(bytes("x"));
            assertThatThrownBy(() -> codec.deserialize(in)).as(framing.name()).isInstanceOf(SoftEndOfStreamException.class);
        }
    }

    @Test
    void lineFramingDropsOnlyACarriageReturnRightBeforeTheLineFeed() throws IOException {
        FrameCodec codec = FrameCodec.of(Framing.LINE, 100);
        InputStream in = new ReadBuffer(stream(bytes("a\r\nb\rc\n\r\n")));
        assertThat(codec.deserialize(in)).isEqualTo(bytes("a"));
        assertThat(codec.deserialize(in)).isEqualTo(bytes("b\rc"));
        assertThat(codec.deserialize(in)).isEmpty();
    }

    @Test
    void framesOverTheLimitAreRefused() {
        assertThatThrownBy(() -> FrameCodec.of(Framing.LINE, 4).deserialize(stream(bytes("12345\n"))))
                .isInstanceOf(FrameTooLargeException.class);
        assertThatThrownBy(() -> FrameCodec.of(Framing.STX_ETX, 4).deserialize(stream(bytes("\u000212345\u0003"))))
                .isInstanceOf(FrameTooLargeException.class);
        assertThatThrownBy(() -> FrameCodec.of(Framing.LENGTH_PREFIX, 4)
                .deserialize(stream(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff})))
                .isInstanceOf(FrameTooLargeException.class).hasMessageContaining("4294967295");
    }

    @Test
    void aStreamEndingInsideAFrameIsAnErrorNotAnOrderlyClose() {
        for (Framing framing : Framing.values()) {
            FrameCodec codec = FrameCodec.of(framing, 100);
            byte[] wire = codec.encode(bytes("hello"));
            byte[] cut = Arrays.copyOf(wire, wire.length - 1);
            assertThatThrownBy(() -> codec.deserialize(stream(cut))).as(framing.name())
                    .isInstanceOf(IOException.class).isNotInstanceOf(SoftEndOfStreamException.class);
        }
    }

    @Test
    void stxEtxRejectsBytesBeforeTheStartOfAFrame() {
        assertThatThrownBy(() -> FrameCodec.of(Framing.STX_ETX, 100).deserialize(stream(bytes("x\u0002a\u0003"))))
                .isInstanceOf(InvalidFrameException.class);
    }

    @Test
    void theReadBufferGrowsForABurstAndShrinksBackOnceTheSocketIsDrained() throws IOException {
        byte[] burst = new byte[40_000];
        Arrays.fill(burst, (byte) 'b');
        FrameCodec codec = FrameCodec.of(Framing.LINE, 100_000);
        ReadBuffer buffer = new ReadBuffer(stream(concat(codec.encode(burst), bytes("one\n"))));
        assertThat(codec.deserialize(buffer)).isEqualTo(burst);
        assertThat(buffer.capacity()).as("grown while reads keep filling it").isEqualTo(ReadBuffer.LARGE);
        assertThat(codec.deserialize(buffer)).isEqualTo(bytes("one"));
        assertThatThrownBy(() -> codec.deserialize(buffer)).isInstanceOf(SoftEndOfStreamException.class);
        assertThat(buffer.capacity()).as("back from large once the socket is drained").isEqualTo(ReadBuffer.SMALL);
        assertThat(buffer.bytesRead()).isEqualTo(40_001 + 4);
    }

    @Test
    void aConnectionThatTalksInSmallBurstsWaitsWithTheTinyBuffer() throws IOException {
        FrameCodec codec = FrameCodec.of(Framing.LINE, 1000);
        String hundred = "x".repeat(99) + "\n";
        ReadBuffer buffer = new ReadBuffer(new ChunkedStream(bytes("hello\n"), bytes(hundred), bytes(hundred),
                bytes("quiet\n"), bytes("bye\n")));
        assertThat(buffer.capacity()).as("a new connection").isEqualTo(ReadBuffer.TINY);
        assertThat(codec.deserialize(buffer)).isEqualTo(bytes("hello"));
        assertThat(codec.deserialize(buffer)).hasSize(99);
        assertThat(codec.deserialize(buffer)).hasSize(99);
        assertThat(buffer.capacity()).as("100-byte bursts settle on small").isEqualTo(ReadBuffer.SMALL);
        assertThat(codec.deserialize(buffer)).isEqualTo(bytes("quiet"));
        buffer.awaitBytes();
        assertThat(buffer.capacity()).as("a short burst on its own: tiny again").isEqualTo(ReadBuffer.TINY);
        assertThat(codec.deserialize(buffer)).isEqualTo(bytes("bye"));
        assertThat(buffer.bytesRead()).isEqualTo(6 + 100 + 100 + 6 + 4);
    }

    /** A socket-like stream: each read returns at most what one chunk (one arrival) has left. */
    private static final class ChunkedStream extends InputStream {

        private final ArrayDeque<ByteArrayInputStream> chunks = new ArrayDeque<>();

        ChunkedStream(byte[]... arrivals) {
            for (byte[] arrival : arrivals) {
                chunks.add(new ByteArrayInputStream(arrival));
            }
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xff);
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            while (!chunks.isEmpty() && chunks.peek().available() == 0) {
                chunks.poll();
            }
            return chunks.isEmpty() ? -1 : chunks.peek().read(target, offset, length);
        }
    }

    /**
     * Issue 20: a length prefix announcing 64 KiB used to allocate 64 KiB at once; nine thousand such
     * headers held 644 MB. Now the body grows as it arrives, and what it holds is given back.
     */
    @Test
    void aPrefixAnnouncingALongFrameHoldsOnlyWhatArrived() {
        CountingMemory memory = new CountingMemory(Long.MAX_VALUE);
        byte[] wire = Arrays.copyOf(new byte[] { 0, 1, 0, 0 }, 4 + 3000); // announces 65 536, 3000 arrive
        ReadBuffer buffer = new ReadBuffer(stream(wire), () -> false, memory);
        assertThatThrownBy(() -> FrameCodec.of(Framing.LENGTH_PREFIX, 65_536).deserialize(buffer))
                .as("the stream ends inside the frame").isInstanceOf(IOException.class);
        assertThat(memory.mostHeld).as("what arrived (and the large read buffer), not what was announced")
                .isBetween(1L, (long) ReadBuffer.LARGE + 6000);
        assertThat(memory.held).as("given back").isZero();
    }

    @Test
    void partialFramesAreHeldFromTheBudgetBeyondASmallAllowanceAndGivenBackWhenDone() throws IOException {
        for (Framing framing : Framing.values()) {
            CountingMemory memory = new CountingMemory(Long.MAX_VALUE);
            FrameCodec codec = FrameCodec.of(framing, 1 << 20);
            byte[] big = new byte[100_000];
            Arrays.fill(big, (byte) 'z');
            ReadBuffer buffer = new ReadBuffer(new ChunkedStream(codec.encode(bytes("small")), codec.encode(big)), () -> false, memory);
            assertThat(codec.deserialize(buffer)).isEqualTo(bytes("small"));
            assertThat(memory.mostHeld).as("%s: a small frame holds nothing", framing).isZero();
            assertThat(codec.deserialize(buffer)).isEqualTo(big);
            assertThat(memory.mostHeld).as(framing.name()).isBetween(100_000L - PartialFrame.FREE_BYTES, 300_000L);
            assertThat(memory.held).as("%s: the frame's bytes given back (the read buffer may keep its large size)", framing)
                    .isLessThanOrEqualTo(ReadBuffer.LARGE - ReadBuffer.SMALL);
            buffer.release();
            assertThat(memory.held).as(framing.name()).isZero();
        }
    }

    @Test
    void withTheBudgetUsedUpTheReadBufferStaysSmall() throws IOException {
        CountingMemory memory = new CountingMemory(0);
        byte[] burst = new byte[40_000];
        Arrays.fill(burst, (byte) 'b');
        FrameCodec codec = FrameCodec.of(Framing.LINE, 1000);
        ReadBuffer buffer = new ReadBuffer(stream(concat(bytes("x".repeat(999) + "\n"), burst)), () -> false, memory);
        assertThat(codec.deserialize(buffer)).hasSize(999);
        assertThat(buffer.capacity()).isLessThanOrEqualTo(ReadBuffer.SMALL);
    }

    /** A budget that counts what is held and refuses (or, for hold, fails) beyond {@code max}. */
    static final class CountingMemory implements PartialFrames {
        final long max;
        long held;
        long mostHeld;

        CountingMemory(long max) {
            this.max = max;
        }

        @Override
        public boolean tryHold(int bytes) {
            if (held + bytes > max) {
                return false;
            }
            held += bytes;
            mostHeld = Math.max(mostHeld, held);
            return true;
        }

        @Override
        public void hold(int bytes) throws IOException {
            if (!tryHold(bytes)) {
                throw new FrameTimeoutException("no memory in this test");
            }
        }

        @Override
        public void release(int bytes) {
            held -= bytes;
        }

        @Override
        public void awaitingRestOfFrame(boolean awaiting) {
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static InputStream stream(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
