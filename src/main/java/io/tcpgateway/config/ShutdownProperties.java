package io.tcpgateway.config;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Graceful shutdown ({@code gateway.shutdown.*}).
 *
 * @param message the frame every open connection is sent before it is closed (reason shutdown)
 * @param drainTimeout how long the drain may take before the remaining connections are closed anyway
 */
public record ShutdownProperties(
        @DefaultValue("BYE server shutting down") @NotNull String message,
        @DefaultValue("10s") @NotNull Duration drainTimeout) {
}
