package io.tcpgateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The broadcast envelope between pods: origin and payload come back as they went; garbage is refused. */
class FrameEnvelopeTest {

    @Test
    void originAndPayloadComeBackAsTheyWent() {
        byte[] payload = "héllo ✓\n\u0000\u0002".getBytes(StandardCharsets.UTF_8);
        FrameEnvelope decoded = FrameEnvelope.decode(FrameEnvelope.encode(FrameEnvelope.originBytes("pod-ä"), payload));
        assertThat(decoded).isNotNull();
        assertThat(decoded.origin()).isEqualTo("pod-ä");
        assertThat(decoded.payload()).isEqualTo(payload);
    }

    @Test
    void anEmptyPayloadAndTheLongestOriginFit() {
        String longest = "n".repeat(255);
        FrameEnvelope decoded = FrameEnvelope.decode(FrameEnvelope.encode(FrameEnvelope.originBytes(longest), new byte[0]));
        assertThat(decoded).isNotNull();
        assertThat(decoded.origin()).isEqualTo(longest);
        assertThat(decoded.payload()).isEmpty();
    }

    @Test
    void bytesThatAreNoEnvelopeDecodeToNull() {
        assertThat(FrameEnvelope.decode(new byte[0])).isNull();
        assertThat(FrameEnvelope.decode(new byte[] { 5, 'a', 'b' })).as("origin cut short").isNull();
    }

    @Test
    void anOriginOverOneLengthByteIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> FrameEnvelope.originBytes("n".repeat(256)))
                .withMessageContaining("255 bytes");
        assertThatIllegalArgumentException().isThrownBy(() -> FrameEnvelope.originBytes("ä".repeat(128)))
                .as("counted in UTF-8 bytes, not characters");
    }
}
