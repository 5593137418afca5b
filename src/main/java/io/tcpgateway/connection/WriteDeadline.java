package io.tcpgateway.connection;

import io.tcpgateway.config.GatewayProperties;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * {@code gateway.outbound.write-deadline} (CONTRACT section 4): a connection whose writer has made no
 * progress for that long is a slow consumer and is closed (no goodbye: its backlog is full), as NATS
 * does with its write deadline. Without it, a client that stops reading is closed only once its backlog
 * reaches {@code max-pending-bytes}, and until then every burst meant for it pauses its producers (the
 * stall of section 4): two thousand such clients slowed bursts to good readers several times. A socket
 * write cannot time out in Java, so a sweep on the gateway's scheduler looks at every writer; closing
 * the socket is what ends a write stuck in the kernel.
 */
@Component
class WriteDeadline implements DisposableBean {

    private final PeerRegistry peers;
    private final long deadlineMillis;
    private final ScheduledFuture<?> sweep;

    WriteDeadline(PeerRegistry peers, GatewayProperties properties, ConnectionExecutors executors) {
        this.peers = peers;
        this.deadlineMillis = properties.outbound().writeDeadline().toMillis();
        Duration every = Duration.ofMillis(Math.clamp(deadlineMillis / 4, 10, 1000));
        this.sweep = executors.scheduler().scheduleAtFixedRate(this::closeStalledWriters, every);
    }

    void closeStalledWriters() {
        long now = System.currentTimeMillis();
        for (Peer peer : peers.all()) {
            if (peer.outboundQueue().writeStalled(now, deadlineMillis)) {
                peer.close(CloseReason.SLOW_CONSUMER);
            }
        }
    }

    @Override
    public void destroy() {
        sweep.cancel(false);
    }
}
