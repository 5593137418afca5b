package io.tcpgateway.config;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One TCP server socket and its flow ({@code gateway.listeners[*]}).
 *
 * @param name unique listener name, used in metrics tags, the admin API and logs
 * @param port TCP port to listen on; 0 picks an ephemeral port (the admin API reports the bound one)
 * @param bindAddress interface to bind
 * @param mode echo each frame to its sender, broadcast it to every other peer of this listener, or forward it to
 *     Kafka (with {@code gateway.kafka.enabled})
 * @param includeSender in broadcast mode, send each frame back to its sender as well
 * @param framing how frames are delimited on the wire
 * @param maxFrameBytes a longer frame closes its connection (reason frame-too-large)
 * @param maxConnections one more connection is told "ERROR server full" and closed (reason rejected)
 * @param sslBundle name of a Spring Boot SSL bundle ({@code spring.ssl.bundle.*}); when set the listener speaks TLS
 * @param proxyProtocol off, optional or required: a PROXY protocol v1/v2 header at the start of each connection
 *     (read before TLS) names the client behind a load balancer
 * @param proxyHeaderTimeout how long a connection may take to send its PROXY header
 * @param trustedProxies CIDR ranges (or addresses) allowed to send a PROXY header; empty = any
 * @param maxConnectionsPerSource open connections from one client address (after PROXY); one more is told
 *     "ERROR too many connections from your address" and closed (reason source-limit); 0 = no limit
 * @param maxConnectRate new connections accepted per second; beyond it accepting is paced (connections wait
 *     in the kernel's backlog, nobody is refused for it); 0 = no limit
 * @param maxFramesPerSecond frames one connection may send per second; a client over it is not read from until
 *     it is back under (TCP flow control slows it; nothing is dropped); 0 = no limit
 * @param maxFramesBurst frames a connection may send at once before {@code max-frames-per-second} applies;
 *     unset = the same number as {@code max-frames-per-second}
 * @param auth none, token (first frame {@code AUTH <token>}) or client-cert (a TLS client certificate the
 *     bundle trusts)
 * @param duplicatePrincipal what a second connection of a principal already connected to this listener does:
 *     allow it, replace the older one ("ERROR replaced", reason replaced), or refuse the new one ("ERROR already
 *     connected", reason duplicate); across pods in a cluster. Only on listeners with auth
 * @param forwardTopic {@code forward} listeners: the Kafka topic of this listener's frames; unset =
 *     {@code gateway.kafka.frames-topic}
 * @param forwardAcks {@code forward} listeners: send the client {@code ACK <n>} (n its frames stored so far) once
 *     Kafka has stored its frames
 * <p>Single-word components are checked with constraint annotations; the multi-word ones by
 * {@link GatewayPropertiesValidator}, so that errors name them as they are written ({@code max-frame-bytes}).
 */
public record ListenerProperties(
        String name,
        Integer port,
        @DefaultValue("0.0.0.0") String bindAddress,
        @DefaultValue("broadcast") Mode mode,
        @DefaultValue("false") boolean includeSender,
        @DefaultValue("line") Framing framing,
        @DefaultValue("65536") int maxFrameBytes,
        @DefaultValue("10000") int maxConnections,
        @Nullable String sslBundle,
        @DefaultValue("off") ProxyProtocol proxyProtocol,
        @DefaultValue("5s") Duration proxyHeaderTimeout,
        @DefaultValue List<String> trustedProxies,
        @DefaultValue("0") int maxConnectionsPerSource,
        @DefaultValue("0") int maxConnectRate,
        @DefaultValue("0") int maxFramesPerSecond,
        @Nullable Integer maxFramesBurst,
        @DefaultValue("none") Auth auth,
        @DefaultValue("allow") DuplicatePrincipal duplicatePrincipal,
        @Nullable String forwardTopic,
        @DefaultValue("false") boolean forwardAcks) {

    /** The listener that runs when nothing is configured: {@code chat} on port 9000. */
    static ListenerProperties defaultChat() {
        return new ListenerProperties("chat", 9000, "0.0.0.0", Mode.BROADCAST, false, Framing.LINE, 65536, 10000, null,
                ProxyProtocol.OFF, Duration.ofSeconds(5), List.of(), 0, 0, 0, null, Auth.NONE,
                DuplicatePrincipal.ALLOW, null, false);
    }

    /** Frames a connection may send at once: {@code max-frames-burst}, or {@code max-frames-per-second} when unset. */
    public int framesBurst() {
        return (maxFramesBurst != null) ? maxFramesBurst : maxFramesPerSecond;
    }

    /** The listener's own topic ({@code forward-topic}), or null when it has none (unset or blank). */
    public @Nullable String forwardTopicOrNull() {
        return (forwardTopic == null || forwardTopic.isBlank()) ? null : forwardTopic;
    }

    public boolean tls() {
        return sslBundle != null && !sslBundle.isBlank();
    }
}
