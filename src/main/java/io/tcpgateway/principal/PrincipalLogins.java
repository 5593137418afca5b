package io.tcpgateway.principal;

import io.tcpgateway.config.DuplicatePrincipal;
import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.connection.GatewayListener;
import io.tcpgateway.connection.Peer;
import io.tcpgateway.connection.PrincipalLogin;
import io.tcpgateway.logging.LogText;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The login of a peer that proved who it is (CONTRACT section 14), on its reader thread before anything else
 * it sent is read: {@code duplicate-principal} on its listener and, in a cluster, on every pod; then its
 * {@code OK}; then, in order, what was queued for it; only then does it take what is sent to all, so a
 * broadcast never overtakes its queued messages.
 */
@Component
public class PrincipalLogins implements PrincipalLogin {

    private static final Logger log = LoggerFactory.getLogger(PrincipalLogins.class);

    private final PrincipalQueue queue;
    private final ObjectProvider<RemoteLogins> remote;
    private final PrincipalMetrics metrics;

    public PrincipalLogins(PrincipalQueue queue, ObjectProvider<RemoteLogins> remote, PrincipalMetrics metrics) {
        this.queue = queue;
        this.remote = remote;
        this.metrics = metrics;
    }

    @Override
    public boolean logIn(Peer peer, byte @Nullable [] answer) {
        if (!claim(peer)) {
            return false;
        }
        if (answer != null) {
            peer.sendPayload(answer, peer);
        }
        deliverQueued(peer);
        peer.completeLogin();
        return true;
    }

    /** {@code duplicate-principal}: here, and on the other pods unless it is {@code allow}. */
    private boolean claim(Peer peer) {
        GatewayListener listener = peer.listener();
        if (!listener.auth().claim(peer)) {
            return false;
        }
        DuplicatePrincipal policy = listener.properties().duplicatePrincipal();
        RemoteLogins cluster = remote.getIfAvailable(() -> RemoteLogins.NONE);
        if (policy == DuplicatePrincipal.ALLOW || cluster == RemoteLogins.NONE) {
            return true;
        }
        String principal = Objects.requireNonNull(peer.principal());
        if (!cluster.claim(listener.name(), principal, peer.id(), policy)) {
            peer.closeSaying(CloseReason.DUPLICATE);
            return false;
        }
        if (peer.isClosing()) { // it left (or was replaced) while the cluster recorded it: not a holder after all
            cluster.release(listener.name(), principal, peer.id());
        }
        return true;
    }

    /** A peer that claimed its principal closed: on a listener that keeps one connection per principal, let go. */
    @Override
    public void released(Peer peer) {
        String principal = peer.principal();
        RemoteLogins cluster = remote.getIfAvailable();
        if (principal != null && cluster != null
                && peer.listener().properties().duplicatePrincipal() != DuplicatePrincipal.ALLOW) {
            cluster.release(peer.listener().name(), principal, peer.id());
        }
    }

    /** What was queued for it on its listener (or any), in order, right after its {@code OK}. */
    private void deliverQueued(Peer peer) {
        String principal = Objects.requireNonNull(peer.principal());
        if (peer.isClosing()) {
            return; // replaced meanwhile: what is queued waits for the connection that replaced it
        }
        List<String> messages;
        try {
            messages = queue.take(principal, peer.listener().name());
        }
        catch (PrincipalQueue.Unavailable away) {
            log.warn("Messages queued for principal {} stay queued: {}", LogText.escape(principal), away.getMessage());
            return;
        }
        for (String message : messages) {
            peer.sendPayload(message.getBytes(StandardCharsets.UTF_8), peer);
        }
        metrics.delivered(messages.size());
    }
}
