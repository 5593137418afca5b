package io.tcpgateway.admin;

import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.connection.GatewayListener;
import io.tcpgateway.listener.ListenerRegistrar;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

/** {@code GET /actuator/gateway}: the listeners (with their bound ports), the connection count and the uptime. */
@Component
@Endpoint(id = "gateway")
public class GatewayEndpoint {

    private final ListenerRegistrar listeners;
    private final PeerRegistry registry;

    public GatewayEndpoint(ListenerRegistrar listeners, PeerRegistry registry) {
        this.listeners = listeners;
        this.registry = registry;
    }

    @ReadOperation
    public GatewayDescriptor gateway() {
        List<ListenerDescriptor> described = listeners.listeners().stream().map(ListenerDescriptor::of).toList();
        Duration uptime = Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime());
        return new GatewayDescriptor(described, registry.size(), uptime.toString());
    }

    public record GatewayDescriptor(List<ListenerDescriptor> listeners, int connections, String uptime) {
    }

    /** Mode and framing are spelled as in the configuration ({@code broadcast}, {@code length-prefix}). */
    public record ListenerDescriptor(String name, int port, String mode, String framing, boolean running,
            int connections) {

        static ListenerDescriptor of(GatewayListener listener) {
            return new ListenerDescriptor(listener.name(), listener.boundPort(), listener.mode().configName(),
                    listener.properties().framing().configName(), listener.isRunning(), listener.peers().size());
        }
    }
}
