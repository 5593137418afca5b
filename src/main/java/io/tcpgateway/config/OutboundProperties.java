package io.tcpgateway.config;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Per-connection outbound flow control ({@code gateway.outbound.*}).
 *
 * @param maxPendingBytes bytes queued for one connection and not yet written; a connection over it is
 *     closed (reason slow-consumer)
 * @param maxStall the longest the gateway stops reading from a producer whose frames took a receiver's
 *     backlog over half of {@code max-pending-bytes}, waiting for it to go back under half
 * @param writeDeadline the longest one socket write to a connection may make no progress (its client reads
 *     nothing); then it is a slow consumer (closed, reason slow-consumer), as in NATS
 */
public record OutboundProperties(@DefaultValue("1MB") DataSize maxPendingBytes,
        @DefaultValue("50ms") Duration maxStall, @DefaultValue("10s") Duration writeDeadline) {
}
