package io.tcpgateway.connection;

import io.tcpgateway.config.GatewayProperties;
import io.tcpgateway.logging.LogText;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.integration.ip.tcp.connection.TcpConnectionCloseEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionOpenEvent;
import org.springframework.stereotype.Component;

/**
 * The live peers of every listener, fed by Spring Integration's connection open events: it admits
 * each new peer into its listener (which keeps its open peers, the one place they are held); a peer
 * leaves its listener the moment its close is decided ({@link PeerTransitions}), and the close event of its
 * socket only makes sure a close that nobody decided (a failed socket) is one. The heartbeat, the drain and the admin API read peers through it.
 * Logs one line per connection opened and one per connection closed, with its reason, and keeps
 * the history of closed connections.
 */
@Component
public class PeerRegistry implements ApplicationListener<TcpConnectionEvent>, PeerTransitions {

    private static final Logger log = LoggerFactory.getLogger(PeerRegistry.class);

    private final List<GatewayListener> listeners = new CopyOnWriteArrayList<>();
    private final Deque<ClosedPeer> closedHistory = new ArrayDeque<>();
    private final int closedHistorySize;
    private final List<ConnectionEvents> observers = new CopyOnWriteArrayList<>();

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
                connection.peer().markClosed(CloseReason.ERROR); // a reason was given before, unless the socket just failed
            }
        }
    }

    /** Called once per listener, before it accepts its first connection. */
    public void register(GatewayListener listener) {
        listeners.add(listener);
        listener.tellTransitionsTo(this);
    }

    /** {@code events} is told of every connection connected, logged in and closed from now on. */
    public void tell(ConnectionEvents events) {
        observers.add(events);
    }

    private void opened(Peer peer) {
        GatewayListener listener = peer.listener();
        listener.stats().connectionOpened();
        CloseReason refused = listener.admit(peer);
        if (refused != null) {
            peer.closeSaying(refused); // accepted by the kernel already: told why, where it can be
            return;
        }
        logLine("Connection opened", peer, false);
        observers.forEach((observer) -> observer.connected(peer));
        String certified = peer.principal(); // a client certificate's CN, proven in the TLS handshake
        if (certified != null) {
            listener.auth().logIn(peer, certified, null);
        }
        if (listener.auth().requiresToken()) {
            TaskScheduler scheduler = listener.executors().scheduler();
            scheduler.schedule(() -> authenticationDue(peer), scheduler.getClock().instant().plus(listener.auth().timeout()));
        }
        if (peer.isClosing()) { // its close was decided while it was being admitted: it leaves again
            listener.retire(peer);
        }
    }

    /** {@code gateway.auth.timeout} after it opened: a peer still without {@code OK} is closed. */
    private static void authenticationDue(Peer peer) {
        if (peer.awaitsAuthentication() && !peer.isClosing()) {
            peer.listener().auth().failed(peer, CloseReason.AUTH_TIMEOUT,
                    "no AUTH frame within " + peer.listener().auth().timeout().toMillis() + " ms");
        }
    }

    @Override
    public void loggedIn(Peer peer) {
        observers.forEach((observer) -> observer.authenticated(peer));
    }

    /**
     * A peer stopped being open: counted under its reason, logged and remembered, once. Refusals at
     * admission are counted too (they were counted as opened); quiet ones (bans) are neither logged nor
     * remembered.
     */
    @Override
    public void closing(Peer peer, boolean wasOpen) {
        CloseReason reason = Objects.requireNonNullElse(peer.closeReason(), CloseReason.ERROR);
        if (ClosePolicy.isCounted(reason, wasOpen)) {
            peer.listener().stats().connectionClosed(reason);
            if (ClosePolicy.isRemembered(reason, wasOpen)) {
                remember(peer);
                logLine("Connection closed", peer, true);
            }
        }
        if (wasOpen) {
            observers.forEach((observer) -> observer.closed(peer));
        }
    }

    /** Plain text for people, the same facts as key-values for structured (ECS) logs. */
    private static void logLine(String event, Peer peer, boolean withReason) {
        String remote = peer.remoteAddress() + ":" + peer.remotePort();
        CloseReason reason = peer.closeReason();
        // The principal only when there is one (no "principal=null" on every line of a listener without auth),
        // escaped: a client chose it.
        String principal = (peer.principal() != null) ? LogText.escape(peer.principal()) : null;
        String who = (principal != null) ? " principal=" + principal : "";
        var line = log.atInfo()
                .addKeyValue("listener", peer.listener().name())
                .addKeyValue("connectionId", peer.id())
                .addKeyValue("remote", remote);
        if (principal != null) {
            line.addKeyValue("principal", principal);
        }
        if (withReason) {
            line.addKeyValue("reason", reason)
                    .log("{}: listener={} id={} remote={}{} reason={}", event, peer.listener().name(), peer.id(), remote, who,
                            reason);
        }
        else {
            line.log("{}: listener={} id={} remote={}{}", event, peer.listener().name(), peer.id(), remote, who);
        }
    }

    private void remember(Peer peer) {
        synchronized (closedHistory) {
            closedHistory.addFirst(ClosedPeer.of(peer));
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
        for (GatewayListener listener : listeners) {
            Peer peer = listener.peer(id);
            if (peer != null) {
                return Optional.of(peer);
            }
        }
        return Optional.empty();
    }

    /** The open connections of {@code principal} on every listener of this pod (logged in or logging in). */
    public List<Peer> ofPrincipal(String principal) {
        List<Peer> found = new ArrayList<>();
        listeners.forEach((listener) -> found.addAll(listener.ofPrincipal(principal)));
        return found;
    }

    /** Every live peer of every listener: a snapshot. */
    public Collection<Peer> all() {
        List<Peer> all = new ArrayList<>(size());
        listeners.forEach((listener) -> all.addAll(listener.peers()));
        return all;
    }

    public int size() {
        return listeners.stream().mapToInt((listener) -> listener.peers().size()).sum();
    }
}
