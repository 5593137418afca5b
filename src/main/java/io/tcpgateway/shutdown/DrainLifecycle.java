package io.tcpgateway.shutdown;

import io.tcpgateway.config.GatewayProperties;
import io.tcpgateway.config.ShutdownProperties;
import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.connection.DescriptorReserve;
import io.tcpgateway.connection.GatewayListener;
import io.tcpgateway.connection.Peer;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.listener.ListenerRegistrar;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The graceful shutdown of CONTRACT section 5. Runs early in the context's stop sequence (before the
 * web server and the listeners' flows stop): readiness turns REFUSING_TRAFFIC at once; for
 * {@code grace-period} everything goes on (new connections are still accepted: a load balancer that has
 * not yet seen the readiness change still sends clients, and refusing them would only make them retry);
 * then listeners stop accepting and every peer is sent the shutdown message and closed once it is
 * written (after what it sent is settled, {@link GoodbyeGate}: its frames stored by Kafka and acknowledged), at {@code evict-rate} goodbyes per second (oldest connections first) or all at once;
 * whatever is still open {@code drain-timeout} after the first goodbye is closed anyway. All with
 * reason {@code shutdown}.
 */
@Component
public class DrainLifecycle implements SmartLifecycle {

    /** Above the web server's graceful-shutdown phase, so readiness stays observable while draining. */
    public static final int PHASE = Integer.MAX_VALUE - 512;

    private static final Logger log = LoggerFactory.getLogger(DrainLifecycle.class);

    private final ApplicationEventPublisher events;
    private final ListenerRegistrar listeners;
    private final PeerRegistry registry;
    private final DescriptorReserve descriptors;
    private final byte[] message;
    private final ShutdownProperties shutdown;
    private final ObjectProvider<GoodbyeGate> goodbyeGate;
    private volatile boolean running;
    private volatile boolean draining;

    public DrainLifecycle(ApplicationEventPublisher events, ListenerRegistrar listeners, PeerRegistry registry,
            DescriptorReserve descriptors, GatewayProperties properties, ObjectProvider<GoodbyeGate> goodbyeGate) {
        this.descriptors = descriptors;
        this.goodbyeGate = goodbyeGate;
        this.shutdown = properties.shutdown();
        this.events = events;
        this.listeners = listeners;
        this.registry = registry;
        this.message = shutdown.message().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        draining = true;
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
        if (shutdown.gracePeriod().isPositive()) {
            log.info("Draining: readiness is OUT_OF_SERVICE; {} connection(s) stay for the grace period of {}",
                    registry.size(), shutdown.gracePeriod());
            LockSupport.parkNanos(shutdown.gracePeriod().toNanos());
        }
        listeners.listeners().forEach(GatewayListener::stopAccepting);
        long deadline = System.nanoTime() + shutdown.drainTimeout().toNanos();
        List<Peer> open = registry.all().stream().sorted(Comparator.comparingLong(Peer::sequence)).toList();
        log.info("Draining: {} connection(s), {}, up to {}", open.size(),
                (shutdown.evictRate() > 0) ? shutdown.evictRate() + " goodbyes per second" : "all at once",
                shutdown.drainTimeout());
        sayGoodbye(open, deadline);
        awaitDrained(deadline);
        for (Peer peer : registry.all()) {
            peer.close(CloseReason.SHUTDOWN); // no-op for those already closed
        }
        log.info("Drain finished: {} connection(s) closed", open.size());
    }

    /**
     * Each goodbye gets until the drain's deadline to be read; at {@code evict-rate} they are spread
     * evenly, the pacing told by one timestamp so a slow turn is caught up rather than lost.
     */
    private void sayGoodbye(List<Peer> peers, long deadline) {
        long interval = (shutdown.evictRate() > 0) ? TimeUnit.SECONDS.toNanos(1) / shutdown.evictRate() : 0;
        GoodbyeGate gate = goodbyeGate.getIfAvailable(() -> GoodbyeGate.NONE);
        if (interval == 0) { // all at once: every reader stops first, then they settle side by side
            peers.forEach(gate::hold);
            peers.forEach((peer) -> gate.awaitSettled(peer, deadline));
        }
        long next = System.nanoTime();
        for (Peer peer : peers) {
            long now = System.nanoTime();
            if (now >= deadline) {
                return; // the rest is closed at the deadline
            }
            if (interval > 0 && next > now) {
                LockSupport.parkNanos(next - now);
                now = System.nanoTime();
            }
            next = Math.max(next, now - interval) + interval;
            if (interval > 0) {
                gate.hold(peer);
                gate.awaitSettled(peer, deadline);
                now = System.nanoTime();
            }
            peer.closeAfter(message, CloseReason.SHUTDOWN, Duration.ofNanos(Math.max(0, deadline - now)));
        }
    }

    /**
     * Until every client socket is closed: a peer leaves the open ones the moment its goodbye is queued,
     * but its socket stays until the goodbye is written (or the deadline).
     */
    private void awaitDrained(long deadline) {
        while ((registry.size() > 0 || descriptors.openSockets() > 0) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** True from the moment a drain starts: the {@code drain} readiness component reads it. */
    public boolean isDraining() {
        return draining;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
