package io.tcpgateway.listener;

import io.tcpgateway.auth.TokenVerifier;
import io.tcpgateway.auth.TokenVerifier.Verdict;
import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.connection.GatewayListener;
import io.tcpgateway.connection.Peer;
import io.tcpgateway.framing.LivenessFrames;
import io.tcpgateway.logging.LogText;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames of a connection that has not authenticated yet on an {@code auth: token} listener
 * (CONTRACT section 11): {@code AUTH <token>} is checked ({@code OK}, or {@code ERROR auth failed} and
 * closed), {@code PING} is answered, a {@code PONG} (an answer to the gateway's own heartbeat) is only a
 * sign of life, and anything else fails authentication. Nothing reaches the listener's mode before
 * {@code OK}.
 */
final class AuthFrames {

    private static final Logger log = LoggerFactory.getLogger(AuthFrames.class);
    private static final byte[] AUTH = "AUTH ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "OK".getBytes(StandardCharsets.US_ASCII);

    private final GatewayListener listener;
    private final TokenVerifier verifier;

    AuthFrames(GatewayListener listener, TokenVerifier verifier) {
        this.listener = listener;
        this.verifier = verifier;
    }

    void handle(Peer peer, byte[] frame) {
        if (Arrays.equals(frame, LivenessFrames.PING)) {
            peer.sendPayload(LivenessFrames.PONG, peer);
            return;
        }
        if (Arrays.equals(frame, LivenessFrames.PONG)) {
            return;
        }
        if (!startsWithAuth(frame)) {
            listener.auth().failed(peer, CloseReason.AUTH_FAILED, "its first frame was not AUTH <token>");
            return;
        }
        String token = new String(frame, AUTH.length, frame.length - AUTH.length, StandardCharsets.UTF_8).strip();
        switch (verifier.verify(token)) {
            case Verdict.Accepted accepted -> {
                if (!listener.auth().logIn(peer, accepted.principal(), OK)) {
                    return; // refused (duplicate-principal: refuse), and closed with its reason
                }
                log.atInfo().addKeyValue("listener", listener.name()).addKeyValue("connectionId", peer.id())
                        .addKeyValue("remote", peer.remoteAddress()).addKeyValue("principal", LogText.escape(accepted.principal()))
                        .log("Connection authenticated: listener={} id={} remote={} principal={}", listener.name(), peer.id(),
                                peer.remoteAddress(), LogText.escape(accepted.principal()));
            }
            case Verdict.Refused refused -> listener.auth().failed(peer, CloseReason.AUTH_FAILED, refused.why());
        }
    }

    private static boolean startsWithAuth(byte[] frame) {
        return frame.length >= AUTH.length && Arrays.equals(frame, 0, AUTH.length, AUTH, 0, AUTH.length);
    }
}
