package io.tcpgateway.connection;

import io.tcpgateway.config.Auth;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How a connection closes, decided in one place (as nats-server's {@code closeConnection} does), for
 * every reason {@link CloseReason} names: the goodbye it is told first, how long that goodbye may take,
 * what happens once it is written, and whether the close is counted, logged and kept in the closed
 * history. {@link Peer} carries the decisions out; nothing else decides them.
 */
final class ClosePolicy {

    /** How long a peer told why it is being closed gets to read that before it is cut off. */
    static final Duration LINGER = Duration.ofSeconds(2);

    /** The goodbye of a frame that broke the framing (reason {@code error}, which has no goodbye of its own). */
    static final byte[] INVALID_FRAME = "ERROR invalid frame".getBytes(StandardCharsets.US_ASCII);

    private ClosePolicy() {
    }

    /**
     * The frame {@code peer} is told before it is closed for {@code reason}, or null for none: the reason's
     * own goodbye ({@link CloseReason#goodbye}), except where saying it would cost what the close spares or
     * cannot reach the client: a banned address refused on a TLS listener (the handshake a ban exists to
     * spare; an open TLS connection a ban closes is told), and a failed client-certificate handshake (there
     * is no TLS session to carry it).
     */
    static byte @Nullable [] goodbye(Peer peer, CloseReason reason) {
        if (reason == CloseReason.BANNED && peer.listener().properties().tls() && !peer.wasAdmitted()) {
            return null;
        }
        if ((reason == CloseReason.AUTH_FAILED || reason == CloseReason.AUTH_TIMEOUT)
                && peer.listener().properties().auth() == Auth.CLIENT_CERT) {
            return null;
        }
        return reason.goodbye();
    }

    /**
     * Once its goodbye (or its last answers) is written: close at once, or half-close and let the client
     * close its end (closing at once would make the kernel answer a frame still in flight, a PONG say, with
     * a reset, and a reset makes the client throw away what it had not read yet: the goodbye). At once when
     * the peer was silent for a whole heartbeat timeout (most likely gone: it leaves within the heartbeat's
     * bound) or its client already ended its input (nothing more can come that a reset would answer).
     */
    static boolean closesAtOnceWhenWritten(CloseReason reason, boolean inputEnded) {
        return reason == CloseReason.HEARTBEAT_TIMEOUT || inputEnded;
    }

    /**
     * Whether a close is counted in {@code gateway.connections.closed}: every open peer's, and those refused
     * at admission (they were counted as opened).
     */
    static boolean isCounted(CloseReason reason, boolean wasOpen) {
        return wasOpen || reason.refusedAtAdmission();
    }

    /**
     * Whether a counted close is logged and kept in the closed history: all but refusals of banned
     * addresses, which come by the thousand a second from the clients bans are made for (the ban itself is
     * logged once); open connections a ban closes are logged as usual.
     */
    static boolean isRemembered(CloseReason reason, boolean wasOpen) {
        return wasOpen || reason != CloseReason.BANNED;
    }
}
