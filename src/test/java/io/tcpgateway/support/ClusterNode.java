package io.tcpgateway.support;

import io.tcpgateway.TcpGatewayApplication;
import io.tcpgateway.connection.Peer;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.listener.ListenerRegistrar;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One gateway of a test cluster: a full application context in this JVM, its listeners and management
 * server on ephemeral ports, joined to the test's Redis. Listeners: {@code chat} (broadcast, line) and
 * {@code echo} (echo, line).
 */
public final class ClusterNode implements AutoCloseable {

    public static final String PASSWORD = "cluster-secret";

    private final ConfigurableApplicationContext context;
    private final String nodeId;

    private ClusterNode(ConfigurableApplicationContext context, String nodeId) {
        this.context = context;
        this.nodeId = nodeId;
    }

    public static ClusterNode start(String nodeId, int redisPort, String... extraProperties) {
        List<String> properties = new ArrayList<>(List.of("server.port=0", "gateway.admin.password=" + PASSWORD,
                "gateway.cluster.enabled=true", "gateway.cluster.node-id=" + nodeId,
                "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redisPort,
                "gateway.listeners[0].name=chat", "gateway.listeners[0].port=0",
                "gateway.listeners[1].name=echo", "gateway.listeners[1].port=0", "gateway.listeners[1].mode=echo"));
        properties.addAll(List.of(extraProperties));
        // As command-line arguments: above the top-level application.yml, as a pod's settings would be.
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TcpGatewayApplication.class)
                .run(properties.stream().map((property) -> "--" + property).toArray(String[]::new));
        return new ClusterNode(context, nodeId);
    }

    public String nodeId() {
        return nodeId;
    }

    public TcpTestClient connect(String listener) {
        return TcpTestClient.connect(GatewayPorts.of(context.getBean(ListenerRegistrar.class), listener));
    }

    /** A client whose connection comes from {@code localAddress} (one of 127.0.0.0/8). */
    public TcpTestClient connectFrom(String localAddress, String listener) {
        return TcpTestClient.connectFrom(localAddress, GatewayPorts.of(context.getBean(ListenerRegistrar.class), listener));
    }

    /** Whether a new connection from {@code address} (one of 127.0.0.0/8) to the echo listener is refused as banned. */
    public boolean refusesAsBanned(String address) {
        try (TcpTestClient client = connectFrom(address, "echo")) {
            client.sendLine("are you there");
            return "ERROR banned".equals(client.readLineOrNullAtEnd());
        }
    }

    public PeerRegistry registry() {
        return context.getBean(PeerRegistry.class);
    }

    /** This node's connection id for a client connected to it (waits until the node has registered it). */
    public String idOf(TcpTestClient client) {
        Peer peer = Peers.awaitPeer(registry(), client);
        return peer.id();
    }

    public AdminClient admin() {
        return AdminClient.as(managementPort(), "admin", PASSWORD);
    }

    public int managementPort() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** A counter by its {@code result} tag (the principals' messages), or -1 when there is none. */
    public double counterOf(String name, String result) {
        var counter = context.getBean(MeterRegistry.class).find(name).tag("result", result).counter();
        return (counter == null) ? -1 : counter.count();
    }

    public double gauge(String name) {
        var gauge = context.getBean(MeterRegistry.class).find(name).gauge();
        return (gauge == null) ? -1 : gauge.value();
    }

    public double counter(String name, String listener) {
        var counter = context.getBean(MeterRegistry.class).find(name).tag("listener", listener).counter();
        return (counter == null) ? -1 : counter.count();
    }

    @Override
    public void close() {
        context.close();
    }
}
