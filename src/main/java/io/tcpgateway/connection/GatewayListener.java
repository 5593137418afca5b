package io.tcpgateway.connection;

import io.tcpgateway.ban.BanGate;
import io.tcpgateway.config.Auth;
import io.tcpgateway.config.ListenerProperties;
import io.tcpgateway.config.Mode;
import io.tcpgateway.config.OutboundProperties;
import io.tcpgateway.config.ProxyProtocol;
import io.tcpgateway.framing.FrameCodec;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.integration.ip.IpHeaders;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.security.util.matcher.InetAddressMatcher;
import org.springframework.security.util.matcher.InetAddressMatchers;

/**
 * One configured listener at run time: its settings, its codec, its admission under
 * {@code max-connections}, its live peers (the only place they are kept; {@link PeerRegistry} reads
 * them here) and its stats. Its accepting side is an {@link Acceptor}, bound by the listener package.
 */
public final class GatewayListener {

    private static final Logger log = LoggerFactory.getLogger(GatewayListener.class);

    private final ListenerProperties properties;
    private final FrameCodec codec;
    private final long maxPendingBytes;
    private final long maxStallNanos;
    private final ConnectionExecutors executors;
    private final String connectionIdSuffix;
    private final OpenPeers peers;
    private final ListenerStats stats = new ListenerStats();
    /** Who may send a PROXY header; null: anyone. */
    private final @Nullable InetAddressMatcher trustedProxies;
    private final BanGate bans;
    private final InboundBudget inboundBudget;
    private final DescriptorReserve descriptors;
    private final ListenerAuth auth;
    private final boolean includeSender;
    private final AcceptGate acceptGate;
    private volatile @Nullable Acceptor acceptor;
    private volatile @Nullable MessageChannel toOne;
    /** Told of every peer that stops being open (the registry: counts, logs, history); null in unit tests. */
    private volatile @Nullable PeerTransitions transitions;
    private volatile boolean draining;

    public GatewayListener(ListenerProperties properties, OutboundProperties outbound, ConnectionExecutors executors,
            String connectionIdSuffix, BanGate bans, Duration authTimeout, InboundBudget inboundBudget,
            DescriptorReserve descriptors) {
        this.properties = properties;
        this.inboundBudget = inboundBudget;
        this.descriptors = descriptors;
        this.bans = bans;
        this.peers = new OpenPeers(properties, properties.auth() != Auth.NONE);
        this.auth = new ListenerAuth(this, peers, bans, authTimeout);
        this.includeSender = properties.includeSender();
        this.connectionIdSuffix = connectionIdSuffix;
        this.codec = FrameCodec.of(properties.framing(), properties.maxFrameBytes());
        this.acceptGate = new AcceptGate(properties, codec, descriptors, bans);
        this.maxPendingBytes = outbound.maxPendingBytes().toBytes();
        this.maxStallNanos = outbound.maxStall().toNanos();
        this.executors = executors;
        this.trustedProxies = properties.trustedProxies().isEmpty() ? null
                : InetAddressMatchers.builder().includeAddresses(properties.trustedProxies()).build();
    }

    /** Whether connections start with a PROXY header (read before anything else, TLS included). */
    public ProxyProtocol proxyProtocol() {
        return properties.proxyProtocol();
    }

    /** Whether a connection from {@code address} may carry a PROXY header ({@code trusted-proxies}). */
    public boolean trustsProxy(InetAddress address) {
        return trustedProxies == null || trustedProxies.matches(address);
    }

    /** What the accept loop asks of each socket before it becomes a connection. */
    public AcceptGate acceptGate() {
        return acceptGate;
    }

    DescriptorReserve descriptors() {
        return descriptors;
    }

    /** How its clients prove who they are and log in (CONTRACT sections 11 and 14). */
    public ListenerAuth auth() {
        return auth;
    }

    /** The open peers of this listener that claimed {@code principal}, oldest first. */
    public List<Peer> ofPrincipal(String principal) {
        return peers.ofPrincipal(principal);
    }

    public void bind(Acceptor acceptor) {
        this.acceptor = acceptor;
    }

    /**
     * The channel to this listener's outbound adapter, which sends a message to the one connection its
     * {@code ip_connectionId} header names (echo replies end there too).
     */
    public void bindOutbound(MessageChannel toOne) {
        this.toOne = toOne;
    }

    /**
     * Sends one frame to one peer through the outbound adapter; never blocks (the adapter's send only
     * queues). False when the peer is closing or gone.
     */
    public boolean sendTo(Peer peer, byte[] payload) {
        MessageChannel channel = toOne;
        if (channel == null || peer.isClosing()) {
            return false;
        }
        try {
            return channel.send(new GenericMessage<>(payload, Map.of(IpHeaders.CONNECTION_ID, peer.integrationConnectionId())));
        }
        catch (MessagingException gone) { // closed meanwhile: the adapter no longer knows the connection
            return false;
        }
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
        return peers.sendToAll(wireFrame, null, true);
    }

    /**
     * As {@link #deliverToAll} for several frames (another pod's read burst): each peer gets them all, in
     * order, and its writer is started once. Returns how many peers got at least the first.
     */
    public int deliverAllToAll(List<byte[]> wireFrames) {
        return peers.sendAllToAll(wireFrames);
    }

    /**
     * Broadcast mode: queues a frame {@code sender} sent (encoded once) to every other open peer, and to the
     * sender too with {@code include-sender}; the writers start when the sender's read burst ends.
     */
    public void broadcastFrom(Peer sender, byte[] wireFrame) {
        peers.sendToAll(wireFrame, sender, includeSender);
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

    /** The gateway-wide budget its connections hold partial frames from. */
    InboundBudget inboundBudget() {
        return inboundBudget;
    }

    public ConnectionExecutors executors() {
        return executors;
    }


    /** The port actually bound (differs from the configured one when that is 0); 0 until listening. */
    public int boundPort() {
        Acceptor current = acceptor;
        return (current != null && current.isListening()) ? current.boundPort() : 0;
    }

    public boolean isRunning() {
        Acceptor current = acceptor;
        return current != null && current.isListening();
    }

    /** True once the shutdown drain has stopped this listener accepting. */
    public boolean isDraining() {
        return draining;
    }

    /** Stops accepting new connections; open ones are untouched. */
    public void stopAccepting() {
        draining = true;
        Acceptor current = acceptor;
        if (current != null) {
            current.stopAccepting();
        }
    }

    /** The live, admitted peers; a view, cheap to iterate on every broadcast. */
    public Collection<Peer> peers() {
        return peers.view();
    }

    /** One live peer of this listener by id, or null. */
    public @Nullable Peer peer(String id) {
        return peers.get(id);
    }

    public ListenerStats stats() {
        return stats;
    }

    /**
     * Makes the peer open under the listener's limits ({@link OpenPeers#admit}), or says why it is refused.
     * Behind a PROXY header the client address is known only now, so its ban is checked here, first.
     */
    @Nullable CloseReason admit(Peer peer) {
        if (properties.proxyProtocol() != ProxyProtocol.OFF) {
            InetAddress client = peer.clientAddress();
            if (client != null && bans.refuses(client)) {
                return CloseReason.BANNED;
            }
        }
        return peers.admit(peer);
    }

    /** Called once by the registry that keeps this listener's closed history. */
    void tellTransitionsTo(PeerTransitions told) {
        this.transitions = told;
    }

    /** The peer completed its login ({@link Peer#completeLogin()}). */
    void loggedIn(Peer peer) {
        PeerTransitions told = transitions;
        if (told != null) {
            told.loggedIn(peer);
        }
    }

    /**
     * A close was decided ({@link Peer#decideClose}): the peer leaves the open ones now (its slots are
     * freed) and the registry counts, logs and remembers it, while its socket may still be writing.
     */
    void retire(Peer peer) {
        boolean wasOpen = release(peer);
        if (wasOpen && peer.principal() != null) {
            auth.released(peer);
        }
        PeerTransitions told = transitions;
        if (told != null) {
            told.closing(peer, wasOpen);
        }
    }

    /** Frees the peer's slots; false when it was not open (never admitted, or released already). */
    boolean release(Peer peer) {
        return peers.release(peer);
    }

    /** Open connections of one client address, while {@code max-connections-per-source} applies. */
    int openFrom(String address) {
        return peers.openFrom(address);
    }
}
