package io.tcpgateway.config;

import java.time.Duration;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Addressing a client by who it is ({@code gateway.principals.*}, CONTRACT section 14).
 *
 * @param queue messages kept for a principal that has no open connection
 */
public record PrincipalsProperties(@DefaultValue @NestedConfigurationProperty Queue queue) {

    /**
     * The offline queue: one per principal and listener, in Redis with {@code gateway.cluster.enabled} (kept
     * across restarts, seen by every pod), in the process otherwise (lost when it stops).
     *
     * @param maxMessages messages one queue holds; one more is refused (409), never dropped silently
     * @param maxBytes bytes of messages one queue holds; one more that would go over it is refused (409)
     * @param maxTtl the longest {@code ttl} a message may be given
     * @param maxTotalBytes bytes of messages every queue together may hold in the process (without the
     *     cluster; Redis's own {@code maxmemory} bounds its queues); at most a quarter of the heap
     */
    public record Queue(
            @DefaultValue("100") int maxMessages,
            @DefaultValue("65536") int maxBytes,
            @DefaultValue("24h") Duration maxTtl,
            @DefaultValue("64MB") DataSize maxTotalBytes) {
    }
}
