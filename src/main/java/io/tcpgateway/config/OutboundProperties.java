package io.tcpgateway.config;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Per-connection outbound flow control ({@code gateway.outbound.*}).
 *
 * @param maxPendingBytes bytes queued for one connection and not yet written; a connection over it is
 *     closed (reason slow-consumer)
 */
public record OutboundProperties(@DefaultValue("1MB") @NotNull DataSize maxPendingBytes) {
}
