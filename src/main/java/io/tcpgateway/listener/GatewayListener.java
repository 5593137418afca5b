package io.tcpgateway.listener;

import io.tcpgateway.config.ListenerProperties;
import io.tcpgateway.config.Mode;
import io.tcpgateway.config.OutboundProperties;
import io.tcpgateway.connection.ConnectionExecutors;
import io.tcpgateway.connection.Peer;
import io.tcpgateway.framing.FrameCodec;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** One configured listener at run time: its settings, its codec, its live peers and its server socket. */
public final class GatewayListener {

    /** How long a peer told why it is being closed (ERROR ...) gets to read that before it is cut off. */
    private static final Duration ERROR_LINGER = Duration.ofSeconds(2);

    private final ListenerProperties properties;
    private final FrameCodec codec;
    private final long maxPendingBytes;
    private final long maxStallNanos;
    private final ConnectionExecutors executors;
    private final String connectionIdSuffix;
    private final Set<Peer> peers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger admitted = new AtomicInteger();
    private final ListenerStats stats = new ListenerStats();
    private volatile GatewayServerConnectionFactory connectionFactory;
    private volatile boolean draining;

    GatewayListener(ListenerProperties properties, OutboundProperties outbound, ConnectionExecutors executors,
            String connectionIdSuffix) {
        this.properties = properties;
        this.connectionIdSuffix = connectionIdSuffix;
        this.codec = FrameCodec.of(properties.framing(), properties.maxFrameBytes());
        this.maxPendingBytes = outbound.maxPendingBytes().toBytes();
        this.maxStallNanos = outbound.maxStall().toNanos();
        this.executors = executors;
    }

    void bind(GatewayServerConnectionFactory factory) {
        this.connectionFactory = factory;
    }

    public String name() {
        return properties.name();
    }

    /** What this pod's connection ids end with: {@code .<node-id>} in a cluster, nothing otherwise. */
    public String connectionIdSuffix() {
        return connectionIdSuffix;
    }

    /**
     * Queues an encoded frame to every peer of this listener that takes input; never blocks. For frames
     * that come from elsewhere (another pod, an operator); returns how many peers it was queued to.
     */
    public int deliverToAll(byte[] wireFrame) {
        int delivered = 0;
        for (Peer peer : peers) {
            delivered += peer.send(wireFrame) ? 1 : 0;
        }
        return delivered;
    }

    public ListenerProperties properties() {
        return properties;
    }

    public Mode mode() {
        return properties.mode();
    }

    public FrameCodec codec() {
        return codec;
    }

    public long maxPendingBytes() {
        return maxPendingBytes;
    }

    /** How long a producer may be paused for one receiver over half its backlog (CONTRACT section 4). */
    public long maxStallNanos() {
        return maxStallNanos;
    }

    public ConnectionExecutors executors() {
        return executors;
    }

    public Duration errorLinger() {
        return ERROR_LINGER;
    }

    /** The port actually bound (differs from the configured one when that is 0); 0 until listening. */
    public int boundPort() {
        GatewayServerConnectionFactory factory = connectionFactory;
        return (factory != null && factory.isListening()) ? factory.getPort() : 0;
    }

    public boolean isRunning() {
        GatewayServerConnectionFactory factory = connectionFactory;
        return factory != null && factory.isListening();
    }

    /** True once the shutdown drain has stopped this listener accepting. */
    public boolean isDraining() {
        return draining;
    }

    /** True once the accept loop has ended, e.g. because the port could not be bound. */
    boolean acceptLoopEnded() {
        GatewayServerConnectionFactory factory = connectionFactory;
        return factory != null && factory.acceptLoopEnded();
    }

    /** Stops accepting new connections; open ones are untouched. */
    public void stopAccepting() {
        draining = true;
        GatewayServerConnectionFactory factory = connectionFactory;
        if (factory != null) {
            factory.stopAccepting();
        }
    }

    /** The live, admitted peers; a view, cheap to iterate on every broadcast. */
    public Collection<Peer> peers() {
        return Collections.unmodifiableSet(peers);
    }

    public ListenerStats stats() {
        return stats;
    }

    /** Takes one of the {@code max-connections} slots; false when the listener is full. */
    public boolean tryAdmit() {
        int current;
        do {
            current = admitted.get();
            if (current >= properties.maxConnections()) {
                return false;
            }
        }
        while (!admitted.compareAndSet(current, current + 1));
        return true;
    }

    /** Called by the registry when an admitted peer opens. */
    public void attach(Peer peer) {
        peers.add(peer);
    }

    /** Called by the registry when an admitted peer closes: frees its slot. */
    public void detach(Peer peer) {
        if (peers.remove(peer)) {
            admitted.decrementAndGet();
        }
    }
}
