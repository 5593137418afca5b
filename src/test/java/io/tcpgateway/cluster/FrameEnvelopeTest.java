package io.tcpgateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.InstanceOfAssertFactories.BYTE_ARRAY;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The broadcast envelopes between pods, one frame and a read burst: origin and payloads come back as they went, in
 * order; garbage and envelopes cut short are refused.
 */
class FrameEnvelopeTest {

    static final byte[] ORIGIN = FrameEnvelope.originBytes("pod-ä");

    @Test
    void originAndPayloadComeBackAsTheyWent() {
        byte[] payload = "héllo ✓\n\u0000\u0002".getBytes(StandardCharsets.UTF_8);
        FrameEnvelope decoded = FrameEnvelope.decode(FrameEnvelope.encode(ORIGIN, payload));
        assertThat(decoded).isNotNull();
        assertThat(decoded.origin()).isEqualTo("pod-ä");
        assertThat(decoded.payloads()).singleElement().asInstanceOf(BYTE_ARRAY).isEqualTo(payload);
    }

    @Test
    void theOneFrameLayoutIsTheOneOlderBuildsRead() {
        // One length byte, the node id, the payload: what pods before bursts publish and read on <prefix>:frames:*.
        assertThat(FrameEnvelope.encode(FrameEnvelope.originBytes("ab"), new byte[] { 'x', 'y' }))
                .containsExactly(2, 'a', 'b', 'x', 'y');
    }

    @Test
    void anEmptyPayloadAndTheLongestOriginFit() {
        String longest = "n".repeat(255);
        FrameEnvelope decoded = FrameEnvelope.decode(FrameEnvelope.encode(FrameEnvelope.originBytes(longest), new byte[0]));
        assertThat(decoded).isNotNull();
        assertThat(decoded.origin()).isEqualTo(longest);
        assertThat(decoded.payloads()).singleElement().asInstanceOf(BYTE_ARRAY).isEmpty();
    }

    @Test
    void aBurstComesBackFrameByFrameInOrder() {
        List<byte[]> payloads = List.of(bytes("first"), new byte[0], bytes("thïrd\r\n"), new byte[70_000]);
        byte[] encoded = FrameEnvelope.encodeBurst(ORIGIN, payloads, total(payloads));
        FrameEnvelope decoded = FrameEnvelope.decodeBurst(encoded);
        assertThat(decoded).isNotNull();
        assertThat(decoded.origin()).isEqualTo("pod-ä");
        assertThat(decoded.payloads()).hasSize(4);
        for (int i = 0; i < payloads.size(); i++) {
            assertThat(decoded.payloads().get(i)).as("frame %d", i).isEqualTo(payloads.get(i));
        }
        assertThat(encoded).as("a count, then each frame's length, in four bytes, big-endian")
                .startsWith(concat(new byte[] { (byte) ORIGIN.length }, ORIGIN, new byte[] { 0, 0, 0, 4 },
                        new byte[] { 0, 0, 0, 5 }, bytes("first")));
    }

    @Test
    void aBurstCutShortOrWithALengthPastItsEndIsRefusedWhole() {
        byte[] encoded = FrameEnvelope.encodeBurst(ORIGIN, List.of(bytes("one"), bytes("two")), 6);
        for (int cut = encoded.length - 1; cut > 1 + ORIGIN.length; cut--) {
            assertThat(FrameEnvelope.decodeBurst(Arrays.copyOf(encoded, cut))).as("cut to %d bytes", cut).isNull();
        }
        byte[] one = { 0, 0, 0, 1 };
        assertThat(FrameEnvelope.decodeBurst(concat(new byte[] { 1, 'n' }, one, new byte[] { 0x7f, 0, 0, 0 }, bytes("short"))))
                .as("a length past the end").isNull();
        assertThat(FrameEnvelope.decodeBurst(concat(new byte[] { 1, 'n' }, one, new byte[] { (byte) 0xff, 0, 0, 1 }, bytes("x"))))
                .as("a negative length").isNull();
        assertThat(FrameEnvelope.decodeBurst(concat(new byte[] { 1, 'n' }, new byte[] { 0x7f, 0, 0, 0 }))).as("a huge count")
                .isNull();
        assertThat(FrameEnvelope.decodeBurst(concat(encoded, bytes("more")))).as("bytes after the last frame").isNull();
        assertThat(FrameEnvelope.decodeBurst(new byte[] { 1, 'n', 0, 0, 0, 0 })).as("no frames at all: nothing to deliver")
                .satisfies((empty) -> assertThat(empty.payloads()).isEmpty());
    }

    @Test
    void anEnvelopeTellsItsOriginWithoutBeingDecoded() {
        byte[] burst = FrameEnvelope.encodeBurst(ORIGIN, List.of(bytes("x")), 1);
        assertThat(FrameEnvelope.isFrom(burst, ORIGIN)).isTrue();
        assertThat(FrameEnvelope.isFrom(burst, FrameEnvelope.originBytes("pod-a"))).isFalse();
        assertThat(FrameEnvelope.isFrom(burst, FrameEnvelope.originBytes("pod-ä2"))).as("a longer id").isFalse();
        assertThat(FrameEnvelope.isFrom(new byte[0], ORIGIN)).isFalse();
    }

    @Test
    void bytesThatAreNoEnvelopeDecodeToNull() {
        assertThat(FrameEnvelope.decode(new byte[0])).isNull();
        assertThat(FrameEnvelope.decode(new byte[] { 5, 'a', 'b' })).as("origin cut short").isNull();
        assertThat(FrameEnvelope.decodeBurst(new byte[0])).isNull();
        assertThat(FrameEnvelope.decodeBurst(new byte[] { 5, 'a', 'b' })).isNull();
    }

    @Test
    void anOriginOverOneLengthByteIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> FrameEnvelope.originBytes("n".repeat(256)))
                .withMessageContaining("255 bytes");
        assertThatIllegalArgumentException().isThrownBy(() -> FrameEnvelope.originBytes("ä".repeat(128)))
                .as("counted in UTF-8 bytes, not characters");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static int total(List<byte[]> payloads) {
        return payloads.stream().mapToInt((payload) -> payload.length).sum();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
