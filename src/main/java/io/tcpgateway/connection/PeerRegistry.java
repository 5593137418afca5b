package io.tcpgateway.connection;

import io.tcpgateway.config.GatewayProperties;
import io.tcpgateway.listener.GatewayListener;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.integration.ip.tcp.connection.TcpConnectionCloseEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionOpenEvent;
import org.springframework.stereotype.Component;

/**
 * The live peers of every listener, fed by Spring Integration's connection open and close events.
 * The one source the heartbeat, the drain, the admin API and the metrics read. Logs one line per
 * connection opened and one per connection closed, with its reason.
 */
@Component
public class PeerRegistry implements ApplicationListener<TcpConnectionEvent> {

    private static final Logger log = LoggerFactory.getLogger(PeerRegistry.class);

    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    private final Deque<ClosedPeer> closedHistory = new ArrayDeque<>();
    private final int closedHistorySize;

    public PeerRegistry(GatewayProperties properties) {
        this.closedHistorySize = properties.admin().closedHistory();
    }

    /**
     * A plain listener rather than {@code @EventListener} methods: the method adapter looks its bean up
     * on every event, and on a reader thread that lookup leaves a thread-local map behind, which every
     * idle connection's parked thread would keep.
     */
    @Override
    public void onApplicationEvent(TcpConnectionEvent event) {
        if (event.getSource() instanceof GatewayConnection connection) {
            if (event instanceof TcpConnectionOpenEvent) {
                opened(connection.peer());
            }
            else if (event instanceof TcpConnectionCloseEvent) {
                closed(connection.peer());
            }
        }
    }

    private void opened(Peer peer) {
        GatewayListener listener = peer.listener();
        listener.stats().connectionOpened();
        if (!listener.tryAdmit()) {
            // Accepted by the kernel already: tell the client why before closing it.
            peer.closeSaying(CloseReason.REJECTED);
            return;
        }
        peer.admit();
        peers.put(peer.id(), peer);
        listener.attach(peer);
        logLine("Connection opened", peer, false);
        if (peer.isClosed()) { // closed while being admitted: its close event may have come first
            closed(peer);
        }
    }

    private void closed(Peer peer) {
        peer.markClosed(CloseReason.ERROR);
        boolean wasLive = peers.remove(peer.id(), peer);
        if (wasLive) {
            peer.listener().detach(peer);
        }
        if (wasLive || peer.closeReason() == CloseReason.REJECTED) {
            peer.listener().stats().connectionClosed(peer.closeReason());
            remember(peer);
            logLine("Connection closed", peer, true);
        }
    }

    /** Plain text for people, the same facts as key-values for structured (ECS) logs. */
    private static void logLine(String event, Peer peer, boolean withReason) {
        String remote = peer.remoteAddress() + ":" + peer.remotePort();
        CloseReason reason = peer.closeReason();
        var line = log.atInfo()
                .addKeyValue("listener", peer.listener().name())
                .addKeyValue("connectionId", peer.id())
                .addKeyValue("remote", remote);
        if (withReason) {
            line.addKeyValue("reason", reason)
                    .log("{}: listener={} id={} remote={} reason={}", event, peer.listener().name(), peer.id(), remote, reason);
        }
        else {
            line.log("{}: listener={} id={} remote={}", event, peer.listener().name(), peer.id(), remote);
        }
    }

    private void remember(Peer peer) {
        synchronized (closedHistory) {
            closedHistory.addFirst(peer.toClosed());
            if (closedHistory.size() > closedHistorySize) {
                closedHistory.removeLast();
            }
        }
    }

    /** The most recently closed connections, newest first. */
    public List<ClosedPeer> closed() {
        synchronized (closedHistory) {
            return List.copyOf(closedHistory);
        }
    }

    public Optional<Peer> find(String id) {
        return Optional.ofNullable(peers.get(id));
    }

    public Collection<Peer> all() {
        return Collections.unmodifiableCollection(peers.values());
    }

    public int size() {
        return peers.size();
    }
}
