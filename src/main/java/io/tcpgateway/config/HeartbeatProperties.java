package io.tcpgateway.config;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Liveness of peers ({@code gateway.heartbeat.*}).
 *
 * @param interval a connection from which nothing has been read for this long is sent the ping frame,
 *     and again every interval while it stays silent
 * @param timeout a connection from which nothing has been read for this long is closed (reason
 *     heartbeat-timeout); must be greater than {@code interval}
 * @param ping the frame sent to quiet connections
 */
public record HeartbeatProperties(
        @DefaultValue("30s") Duration interval,
        @DefaultValue("90s") Duration timeout,
        @DefaultValue("PING") String ping) {
}
