package io.tcpgateway.principal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code gateway.principals.messages{result}} (CONTRACT section 7): messages to principals delivered (one per
 * connection a frame was queued to, directly or from the offline queue), queued, expired in the queue, and
 * refused by the queue's bounds. Each pod counts what it did itself. The gauge {@code gateway.principals.queued}
 * is the queue's ({@link PrincipalConfiguration}).
 */
@Component
public class PrincipalMetrics {

    private final Counter delivered;
    private final Counter queued;
    private final Counter expired;
    private final Counter refused;

    public PrincipalMetrics(MeterRegistry registry) {
        this.delivered = counter(registry, "delivered");
        this.queued = counter(registry, "queued");
        this.expired = counter(registry, "expired");
        this.refused = counter(registry, "refused");
    }

    private static Counter counter(MeterRegistry registry, String result) {
        return Counter.builder("gateway.principals.messages").tag("result", result)
                .description("Messages to principals: delivered, queued, expired in the queue, refused by its bounds")
                .register(registry);
    }

    public void delivered(int connections) {
        delivered.increment(connections);
    }

    public void queued() {
        queued.increment();
    }

    public void expired(long messages) {
        if (messages > 0) {
            expired.increment(messages);
        }
    }

    public void refused() {
        refused.increment();
    }
}
