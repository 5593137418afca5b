package io.tcpgateway.heartbeat;

import io.tcpgateway.config.HeartbeatProperties;
import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.connection.ConnectionExecutors;
import io.tcpgateway.connection.Peer;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.config.GatewayProperties;
import io.tcpgateway.shutdown.DrainLifecycle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Finds peers that went quiet. A peer from which nothing has been read for {@code interval} is sent
 * the ping frame, and again every {@code interval} while it stays silent, however much else is being
 * written to it (a display that only receives must still be asked); a peer from which nothing has
 * been read for {@code timeout} is told {@code ERROR heartbeat timeout} and closed.
 * This is the only way to notice a peer that vanished without closing its socket (power loss, a
 * pulled cable): TCP itself says nothing until a write fails, which may take many minutes.
 * The scan runs every quarter interval (at most every second), so a dead peer is gone within
 * {@code timeout} plus a fraction of {@code interval}. A peer already being closed (kicked, drained on
 * shutdown, ...) is left alone: closing it again would throw away the goodbye it is being sent. So is a peer
 * the gateway itself has stopped reading (its frames wait for Kafka): its silence is counted from the moment
 * the gateway reads it again.
 */
@Component
public class HeartbeatTask implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatTask.class);

    /** Below the drain's phase, so it stops after the drain and keeps finding dead peers during it. */
    static final int PHASE = DrainLifecycle.PHASE - 1;

    private final PeerRegistry registry;
    private final TaskScheduler scheduler;
    private final long intervalMillis;
    private final long timeoutMillis;
    private final byte[] ping;
    private final Duration period;
    private volatile @Nullable ScheduledFuture<?> scan;

    public HeartbeatTask(PeerRegistry registry, @Qualifier(ConnectionExecutors.GATEWAY_SCHEDULER) TaskScheduler scheduler,
            GatewayProperties properties) {
        HeartbeatProperties heartbeat = properties.heartbeat();
        this.registry = registry;
        this.scheduler = scheduler;
        this.intervalMillis = heartbeat.interval().toMillis();
        this.timeoutMillis = heartbeat.timeout().toMillis();
        this.ping = heartbeat.ping().getBytes(StandardCharsets.UTF_8);
        this.period = Duration.ofMillis(Math.clamp(intervalMillis / 4, 10, 1000));
    }

    void scan() {
        long started = System.nanoTime();
        long now = scheduler.getClock().millis();
        int scanned = 0;
        for (Peer peer : registry.all()) {
            scanned++;
            if (peer.closeReason() != null || peer.readingPaused()) {
                continue; // a paused reader cannot hear a PONG: its silence is the gateway's own (CONTRACT section 15)
            }
            long quiet = now - peer.silentSinceMillis();
            if (quiet >= timeoutMillis) {
                peer.closeSaying(CloseReason.HEARTBEAT_TIMEOUT);
            }
            else if (quiet >= intervalMillis && now - peer.lastPingAtMillis() >= intervalMillis
                    && peer.sendPayload(ping)) {
                peer.pinged(now);
                peer.listener().stats().heartbeatSent();
            }
        }
        if (log.isDebugEnabled()) { // what a scan costs as connections grow (bench.jar growth reads it)
            log.debug("Heartbeat scan: {} connections in {} microseconds", scanned, (System.nanoTime() - started) / 1000);
        }
    }

    @Override
    public void start() {
        scan = scheduler.scheduleAtFixedRate(this::scan, period);
    }

    @Override
    public void stop() {
        ScheduledFuture<?> running = scan;
        if (running != null) {
            running.cancel(false);
            scan = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scan != null;
    }

    /** Draining peers themselves are left alone, see {@link #scan()}. */
    @Override
    public int getPhase() {
        return PHASE;
    }
}
