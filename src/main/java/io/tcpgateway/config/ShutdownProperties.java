package io.tcpgateway.config;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Graceful shutdown ({@code gateway.shutdown.*}).
 *
 * @param message the frame every open connection is sent before it is closed (reason shutdown)
 * @param drainTimeout how long the drain may take, from the first goodbye, before the remaining connections
 *     are closed anyway
 * @param gracePeriod how long connections stay open (and new ones are still accepted) after readiness turns
 *     OUT_OF_SERVICE and before the first goodbye, so load balancers stop sending new clients first
 * @param evictRate goodbyes per second, so thousands of clients do not reconnect to the other pods in the same
 *     instant; 0 = all at once
 */
public record ShutdownProperties(
        @DefaultValue("BYE server shutting down") String message,
        @DefaultValue("10s") Duration drainTimeout,
        @DefaultValue("0s") Duration gracePeriod,
        @DefaultValue("0") int evictRate) {
}
