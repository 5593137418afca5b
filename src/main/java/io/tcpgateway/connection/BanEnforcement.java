package io.tcpgateway.connection;

import io.tcpgateway.ban.Ban;
import io.tcpgateway.ban.BanChange;
import io.tcpgateway.ban.BanList;
import io.tcpgateway.ban.FlappingGuard;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Bans on this pod's connections: a ban that asks for it ({@code closeOpen}, made here or on another
 * pod) closes the open connections from its address or range with {@code ERROR banned} (reason
 * {@code banned}); and every second, bans that ran out end and flapping windows that ended are forgotten,
 * on the gateway's scheduler.
 */
@Component
class BanEnforcement implements ApplicationListener<BanChange>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(BanEnforcement.class);
    private static final Duration SWEEP_EVERY = Duration.ofSeconds(1);

    private final PeerRegistry peers;
    private final ScheduledFuture<?> sweep;

    BanEnforcement(PeerRegistry peers, BanList bans, FlappingGuard flapping, ConnectionExecutors executors) {
        this.peers = peers;
        this.sweep = executors.scheduler().scheduleAtFixedRate(() -> {
            bans.expire();
            flapping.forgetEndedWindows();
        }, SWEEP_EVERY);
    }

    @Override
    public void onApplicationEvent(BanChange change) {
        if (change.isLifted() || !change.closeOpen()) {
            return;
        }
        Ban ban = change.ban();
        int closed = 0;
        for (Peer peer : peers.all()) {
            InetAddress client = peer.clientAddress();
            if (client != null && ban.covers(client)) {
                peer.closeSaying(CloseReason.BANNED);
                closed++;
            }
        }
        log.debug("Ban of {}: closed {} open connection(s) from it", ban.target(), closed);
    }

    @Override
    public void destroy() {
        sweep.cancel(false);
    }
}
