package io.tcpgateway.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code gateway.cluster.frames.published}, {@code gateway.cluster.frames.received} and
 * {@code gateway.cluster.publish.failures}, each tagged with the listener; registered at zero for
 * every broadcast listener so dashboards see them before the first frame.
 */
final class ClusterMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> published = new ConcurrentHashMap<>();
    private final Map<String, Counter> received = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();

    ClusterMetrics(MeterRegistry registry, Iterable<String> listeners) {
        this.registry = registry;
        for (String listener : listeners) {
            published(listener);
            received(listener);
            failures(listener);
        }
    }

    Counter published(String listener) {
        return published.computeIfAbsent(listener, (name) -> counter("gateway.cluster.frames.published", name,
                "Broadcast frames this pod published to the other pods"));
    }

    Counter received(String listener) {
        return received.computeIfAbsent(listener, (name) -> counter("gateway.cluster.frames.received", name,
                "Broadcast frames from other pods delivered to this pod's peers"));
    }

    Counter failures(String listener) {
        return failures.computeIfAbsent(listener, (name) -> counter("gateway.cluster.publish.failures", name,
                "Broadcast frames that could not be sent to the other pods (Redis down, slow or refusing)"));
    }

    private Counter counter(String meter, String listener, String description) {
        return Counter.builder(meter).tag("listener", listener).description(description).register(registry);
    }
}
