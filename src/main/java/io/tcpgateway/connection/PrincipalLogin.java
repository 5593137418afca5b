package io.tcpgateway.connection;

import org.jspecify.annotations.Nullable;

/**
 * What completes the login of a peer that proved who it is (CONTRACT section 14), beyond its listener: the
 * principal's other connections on other pods ({@code duplicate-principal}) and the messages queued for it.
 * Kept behind this interface so the connection package knows nothing of queues or pods; the listener's own
 * part ({@link ListenerAuth#claim}) is called from here.
 */
public interface PrincipalLogin {

    /**
     * Completes the login of {@code peer}, whose principal is set: claims it on its listener, sends
     * {@code answer} (the {@code OK} of a token login; null for a client certificate), then what was queued,
     * then makes it an ordinary peer. False when the login was refused and the peer closed.
     */
    boolean logIn(Peer peer, byte @Nullable [] answer);

    /** {@code peer}, which had authenticated, stopped being open (its close was decided). */
    default void released(Peer peer) {
    }

    /** Nothing beyond the listener: no other pods, no queues (unit tests). */
    PrincipalLogin LISTENER_ONLY = (peer, answer) -> {
        if (!peer.listener().auth().claim(peer)) {
            return false;
        }
        if (answer != null) {
            peer.sendPayload(answer, peer);
        }
        peer.completeLogin();
        return true;
    };
}
