package io.tcpgateway.connection;

import io.tcpgateway.framing.FrameCodec;
import io.tcpgateway.framing.LivenessFrames;
import io.tcpgateway.framing.ReadBuffer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A load balancer's health check: a connection whose PROXY header says it was not relayed, v2 {@code LOCAL}
 * (HAProxy's {@code check-send-proxy} with {@code send-proxy-v2}, AWS's NLB), which the PROXY protocol
 * reserves for connections the balancer opens on its own behalf, or a v1 header naming the balancer's own
 * end of the connection (HAProxy's {@code check-send-proxy} with {@code send-proxy}). It is no client: it never becomes a peer, so it is not in the
 * open list, the connection log, {@code gateway.connections.opened} or {@code closed}, takes no per-source
 * slot and is neither checked against bans nor counted by flapping detection (a balancer checking every
 * 100 ms would otherwise ban its own address, and every client behind it with it). It is counted in
 * {@code gateway.proxy.health-checks} and logged at debug.
 *
 * <p>It is answered as a client is on liveness: each {@code PING} frame gets a {@code PONG}, so a check
 * that talks ({@code tcp-check send PING\n}, {@code tcp-check expect string PONG}) works as well as one
 * that only connects; any other frame is ignored. It ends when the balancer closes it, or at the latest
 * {@code proxy-header-timeout} after its header. Runs on the connection's reader thread, which then ends.
 */
final class BalancerHealthCheck {

    private static final Logger log = LoggerFactory.getLogger(BalancerHealthCheck.class);

    private BalancerHealthCheck() {
    }

    static void answer(Socket socket, Peer peer) {
        GatewayListener listener = peer.listener();
        listener.stats().healthChecked();
        FrameCodec codec = listener.codec();
        byte[] pong = codec.encode(LivenessFrames.PONG);
        int pings = 0;
        try {
            ReadBuffer in = ReadBuffer.of(new DeadlineInputStream(socket, listener.properties().proxyHeaderTimeout()));
            OutputStream out = socket.getOutputStream();
            while (true) {
                byte[] frame = codec.deserialize(in);
                if (Arrays.equals(frame, LivenessFrames.PING)) {
                    out.write(pong);
                    out.flush();
                    pings++;
                }
            }
        }
        catch (IOException | RuntimeException ended) {
            // the balancer closed it (the usual end), it stayed too long, or it sent what no frame is
        }
        finally {
            log.debug("Health check from {} on listener {}: {} PING(s) answered", peer.remoteAddress(), listener.name(),
                    pings);
            peer.close(CloseReason.PEER); // not open, so neither counted nor logged
        }
    }
}
