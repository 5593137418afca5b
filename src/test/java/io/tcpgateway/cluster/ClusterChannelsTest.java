package io.tcpgateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Channel names, and the pattern that hears an older build's frames channel and no other. */
class ClusterChannelsTest {

    @Test
    void framesAndBurstsChannelsNameTheirListener() {
        ClusterChannels channels = new ClusterChannels("tcp-gateway", "node-a");
        assertThat(channels.frames("chat")).isEqualTo("tcp-gateway:frames:chat");
        assertThat(channels.bursts("chat")).isEqualTo("tcp-gateway:bursts:chat");
        assertThat(channels.listenerOf("tcp-gateway:frames:chat")).isEqualTo("chat");
        assertThat(channels.listenerOf("tcp-gateway:bursts:chat")).isEqualTo("chat");
        assertThat(channels.isBursts("tcp-gateway:frames:chat")).isFalse();
        assertThat(channels.isFrames("tcp-gateway:bursts:chat")).isFalse();
    }

    @Test
    void theFramesPatternMatchesItsChannelLiterallyEvenWithGlobCharactersInTheNames() {
        assertThat(new ClusterChannels("tcp-gateway", "n").framesPattern("chat")).isEqualTo("tcp-gateway:frames:chat");
        // Unescaped, "gw*" would also hear "gw-other:frames:chat" and "[a]" the listener "a".
        assertThat(new ClusterChannels("gw*", "n").framesPattern("room?[a]\\b"))
                .isEqualTo("gw\\*:frames:room\\?\\[a\\]\\\\b");
    }
}
