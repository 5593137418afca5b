package io.tcpgateway.shutdown;

import io.tcpgateway.config.GatewayProperties;
import io.tcpgateway.config.ShutdownProperties;
import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.connection.Peer;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.connection.GatewayListener;
import io.tcpgateway.listener.ListenerRegistrar;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The graceful shutdown of CONTRACT section 5. Runs early in the context's stop sequence (before the
 * web server and the listeners' flows stop): readiness turns REFUSING_TRAFFIC, listeners stop
 * accepting, every peer is sent the shutdown message and closed once it is written, and whatever is
 * still open when {@code drain-timeout} runs out is closed anyway. All with reason {@code shutdown}.
 */
@Component
public class DrainLifecycle implements SmartLifecycle {

    /** Above the web server's graceful-shutdown phase, so readiness stays observable while draining. */
    public static final int PHASE = Integer.MAX_VALUE - 512;

    private static final Logger log = LoggerFactory.getLogger(DrainLifecycle.class);

    private final ApplicationEventPublisher events;
    private final ListenerRegistrar listeners;
    private final PeerRegistry registry;
    private final byte[] message;
    private final Duration drainTimeout;
    private volatile boolean running;

    public DrainLifecycle(ApplicationEventPublisher events, ListenerRegistrar listeners, PeerRegistry registry,
            GatewayProperties properties) {
        ShutdownProperties shutdown = properties.shutdown();
        this.events = events;
        this.listeners = listeners;
        this.registry = registry;
        this.message = shutdown.message().getBytes(StandardCharsets.UTF_8);
        this.drainTimeout = shutdown.drainTimeout();
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
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
        listeners.listeners().forEach(GatewayListener::stopAccepting);
        int open = registry.size();
        log.info("Draining: {} connection(s), up to {}", open, drainTimeout);
        for (Peer peer : registry.all()) {
            peer.closeAfter(message, CloseReason.SHUTDOWN, drainTimeout);
        }
        awaitDrained();
        for (Peer peer : registry.all()) {
            peer.close(CloseReason.SHUTDOWN); // no-op for those already closed
        }
        log.info("Drain finished: {} connection(s) closed", open);
    }

    private void awaitDrained() {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (registry.size() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
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
