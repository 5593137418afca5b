package io.tcpgateway.connection;

import io.tcpgateway.ban.BanGate;
import io.tcpgateway.config.Auth;
import io.tcpgateway.logging.LogText;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one listener's clients prove who they are and log in (CONTRACT sections 11 and 14): whether they must,
 * a failed attempt (counted, logged, fed to bans, closed), and the login of one that succeeded, whose
 * {@code duplicate-principal} part on this listener is decided here against its open peers.
 */
public final class ListenerAuth {

    private static final Logger log = LoggerFactory.getLogger(ListenerAuth.class);

    private final GatewayListener listener;
    private final OpenPeers peers;
    private final BanGate bans;
    private final Duration timeout;
    private final boolean requiresToken;
    private final boolean authenticates;
    private volatile PrincipalLogin login = PrincipalLogin.LISTENER_ONLY;

    ListenerAuth(GatewayListener listener, OpenPeers peers, BanGate bans, Duration timeout) {
        this.listener = listener;
        this.peers = peers;
        this.bans = bans;
        this.timeout = timeout;
        this.requiresToken = listener.properties().auth() == Auth.TOKEN;
        this.authenticates = listener.properties().auth() != Auth.NONE;
    }

    /** {@code auth: token}: a connection's first frame must be {@code AUTH <token>}. */
    public boolean requiresToken() {
        return requiresToken;
    }

    /** Whether its clients prove who they are (a token or a client certificate): its peers have principals. */
    public boolean authenticates() {
        return authenticates;
    }

    /** How long a connection may take to authenticate ({@code gateway.auth.timeout}). */
    public Duration timeout() {
        return timeout;
    }

    /**
     * A failed ({@code auth-failed}) or timed-out ({@code auth-timeout}) authentication: counted in
     * {@code gateway.auth.failures}, logged once without the token, fed to flapping detection, and the
     * peer closed with its goodbye where {@link ClosePolicy} gives one.
     */
    public void failed(Peer peer, CloseReason reason, String why) {
        listener.stats().authenticationFailed(reason);
        log.atInfo().addKeyValue("listener", listener.name()).addKeyValue("connectionId", peer.id())
                .addKeyValue("remote", peer.remoteAddress()).addKeyValue("reason", reason)
                .log("Authentication failed: listener={} id={} remote={} reason={} ({})", listener.name(), peer.id(),
                        peer.remoteAddress(), reason, LogText.escape(why)); // a JWT's refusal may quote its claims
        InetAddress client = peer.clientAddress();
        if (client != null) {
            bans.authenticationFailed(client);
        }
        peer.closeSaying(reason);
    }

    /** Set once at start-up: what completes a login beyond this listener (other pods, queued messages). */
    public void completeLoginsWith(PrincipalLogin principalLogin) {
        this.login = principalLogin;
    }

    /**
     * A peer proved it is {@code principal}: its login is completed (claimed under {@code duplicate-principal},
     * answered with {@code answer} where there is one, given what was queued for it), after which it takes what
     * is sent to all. False when it was refused and closed.
     */
    public boolean logIn(Peer peer, String principal, byte @Nullable [] answer) {
        peer.authenticatedAs(principal);
        return login.logIn(peer, answer);
    }

    /** An authenticated peer stopped being open: the login's other parts let go of it. */
    void released(Peer peer) {
        login.released(peer);
    }

    /**
     * This listener's part of a login under {@code duplicate-principal}: {@code allow} lets it in beside the
     * others; {@code replace} closes the principal's other connections here ({@code ERROR replaced});
     * {@code refuse} closes this one ({@code ERROR already connected}) when another holds the principal. False
     * when this peer was refused (or is no longer open).
     */
    public boolean claim(Peer peer) {
        String principal = Objects.requireNonNull(peer.principal(), "authenticated first");
        List<Peer> displaced = peers.claim(peer, principal, listener.properties().duplicatePrincipal());
        if (displaced == null) {
            if (!peer.isClosing()) {
                peer.closeSaying(CloseReason.DUPLICATE);
            }
            return false;
        }
        displaced.forEach((older) -> older.closeSaying(CloseReason.REPLACED));
        return true;
    }
}
