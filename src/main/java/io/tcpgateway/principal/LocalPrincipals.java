package io.tcpgateway.principal;

import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.connection.Peer;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.logging.LogText;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * This pod's part of every call on a principal (CONTRACT section 14): its connections of the principal,
 * a message to them, closing them, and the delivery of messages queued for it while it was logging in. The admin API runs these here and, in a cluster, asks every other pod for theirs.
 */
@Component
public class LocalPrincipals {

    private static final Logger log = LoggerFactory.getLogger(LocalPrincipals.class);

    private final PeerRegistry registry;
    private final PrincipalQueue queue;
    private final PrincipalMetrics metrics;

    public LocalPrincipals(PeerRegistry registry, PrincipalQueue queue, PrincipalMetrics metrics) {
        this.registry = registry;
        this.queue = queue;
        this.metrics = metrics;
    }

    /** Its open connections here, logged in or logging in, oldest first. */
    public List<Peer> connections(String principal) {
        return registry.ofPrincipal(principal);
    }

    /**
     * Queues one frame to each of its logged-in connections here (on {@code listener} when given); how many.
     * The caller has checked that every listener it may reach can carry the message.
     */
    public int send(String principal, @Nullable String listener, String message) {
        byte[] payload = message.getBytes(StandardCharsets.UTF_8);
        int delivered = 0;
        for (Peer peer : loggedIn(principal)) {
            if ((listener == null || peer.listener().name().equals(listener)) && peer.listener().sendTo(peer, payload)) {
                delivered++;
            }
        }
        metrics.delivered(delivered);
        return delivered;
    }

    /** Closes its connections here (reason {@code kicked}); how many. */
    public int kick(String principal) {
        List<Peer> open = connections(principal);
        open.forEach((peer) -> peer.closeSaying(CloseReason.KICKED));
        return open.size();
    }

    /**
     * Messages were queued for {@code principal} just now: a connection of it that logged in here while they
     * were being queued (and so found its queue empty) is given them; how many were delivered.
     */
    public int flush(String principal) {
        int delivered = 0;
        for (Peer peer : loggedIn(principal)) {
            try {
                for (String message : queue.take(principal, peer.listener().name())) {
                    delivered += peer.listener().sendTo(peer, message.getBytes(StandardCharsets.UTF_8)) ? 1 : 0;
                }
            }
            catch (PrincipalQueue.Unavailable away) {
                log.warn("Messages queued for principal {} stay queued: {}", LogText.escape(principal), away.getMessage());
            }
        }
        metrics.delivered(delivered);
        return delivered;
    }

    private List<Peer> loggedIn(String principal) {
        return connections(principal).stream().filter((peer) -> !peer.awaitsAuthentication() && !peer.isClosing()).toList();
    }
}
