package io.tcpgateway.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.connection.GatewayListener;
import io.tcpgateway.connection.ListenerStats;
import java.util.function.ToDoubleFunction;

/**
 * The meters of CONTRACT section 7 for one listener. Counters read the listener's running totals
 * ({@link ListenerStats}, added to where bytes move); the gauge reads the live peer count. No base
 * units are set, so the Prometheus names are exactly {@code gateway_bytes_in_total} and so on.
 */
public final class ListenerMetrics {

    private ListenerMetrics() {
    }

    public static void bind(GatewayListener listener, MeterRegistry registry) {
        Tags tags = Tags.of("listener", listener.name());
        ListenerStats stats = listener.stats();
        Gauge.builder("gateway.connections.active", listener, (l) -> l.peers().size())
                .description("Open connections").tags(tags).register(registry);
        Gauge.builder("gateway.listener.up", listener, (l) -> l.isRunning() ? 1 : 0)
                .description("1 while the listener accepts connections (0 once stopped, a drain included)").tags(tags)
                .register(registry);
        counter(registry, "gateway.connections.opened", "Connections accepted", tags, stats, ListenerStats::opened);
        for (CloseReason reason : CloseReason.values()) {
            counter(registry, "gateway.connections.closed", "Connections closed, by reason",
                    tags.and("reason", reason.tag()), stats, (s) -> s.closed(reason));
        }
        counter(registry, "gateway.frames.in", "Frames read from clients", tags, stats, ListenerStats::framesIn);
        counter(registry, "gateway.frames.out", "Frames written to clients", tags, stats, ListenerStats::framesOut);
        counter(registry, "gateway.bytes.in", "Bytes read from clients, framing included", tags, stats,
                ListenerStats::bytesIn);
        counter(registry, "gateway.bytes.out", "Bytes written to clients, framing included", tags, stats,
                ListenerStats::bytesOut);
        counter(registry, "gateway.heartbeats.sent", "Heartbeat pings sent", tags, stats, ListenerStats::heartbeatsSent);
        counter(registry, "gateway.accept.errors", "Failed accepts (e.g. out of file descriptors), retried",
                tags, stats, ListenerStats::acceptErrors);
        counter(registry, "gateway.inbound.throttled", "Pauses in reading a connection over max-frames-per-second",
                tags, stats, ListenerStats::inboundThrottled);
        counter(registry, "gateway.proxy.health-checks", "Load balancer health checks (PROXY v2 LOCAL) answered; "
                + "never counted as connections", tags, stats, ListenerStats::healthChecks);
        for (CloseReason reason : new CloseReason[] { CloseReason.AUTH_FAILED, CloseReason.AUTH_TIMEOUT }) {
            counter(registry, "gateway.auth.failures", "Failed and timed-out authentications",
                    tags.and("reason", reason.tag()), stats, (s) -> s.authenticationFailures(reason));
        }
        counter(registry, "gateway.producer.stalls", "Pauses in reading a producer whose frames filled a receiver's backlog",
                tags, stats, ListenerStats::producerStalls);
    }

    private static void counter(MeterRegistry registry, String name, String description, Tags tags,
            ListenerStats stats, ToDoubleFunction<ListenerStats> value) {
        FunctionCounter.builder(name, stats, value).description(description).tags(tags).register(registry);
    }
}
