package io.tcpgateway.cluster;

import io.lettuce.core.event.Event;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.resource.ClientResources;
import io.tcpgateway.connection.Peer;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.principal.LocalPrincipals;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import reactor.core.Disposable;

/**
 * What a pod re-reads when it reaches Redis again after it could not (CONTRACT section 10): Redis was down or
 * unreachable, or Sentinel promoted a replica and Lettuce followed it. Lettuce says so on its event bus: a
 * connection activated after it tried to reconnect one it lost. Half a second after the last such activation (a failover reconnects
 * several connections, the subscription among them, one after the other) the pod
 * <ul>
 * <li>sends the bans it made and could not send, and takes the bans made elsewhere meanwhile
 * ({@link ClusterBans#resync});</li>
 * <li>delivers to its logged-in principals the messages other pods queued for them while it could not say
 * they were connected here ({@link LocalPrincipals#flush}).</li>
 * </ul>
 * Frames sent across while it was away are not replayed: broadcast is live (section 10).
 */
final class ClusterResync implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClusterResync.class);
    static final Duration SETTLE = Duration.ofMillis(500);

    /** Lettuce's, where it says that connections were lost and made again; null for another client. */
    private final @Nullable ClientResources resources;
    private final ClusterBans bans;
    private final LocalPrincipals principals;
    private final PeerRegistry peers;
    private final TaskScheduler scheduler;
    private volatile boolean lost;
    private volatile @Nullable ScheduledFuture<?> due;
    private volatile @Nullable Disposable events;

    ClusterResync(@Nullable ClientResources resources, ClusterBans bans, LocalPrincipals principals, PeerRegistry peers,
            TaskScheduler scheduler) {
        this.resources = resources;
        this.bans = bans;
        this.principals = principals;
        this.peers = peers;
        this.scheduler = scheduler;
    }

    @Override
    public void start() {
        if (resources != null) {
            events = resources.eventBus().get().subscribe(this::onEvent);
        }
    }

    private void onEvent(Event event) {
        if (event instanceof ReconnectAttemptEvent) { // a connection lost unintentionally (a close on purpose fires none)
            lost = true;
        }
        else if (event instanceof ConnectionActivatedEvent && lost) {
            ScheduledFuture<?> before = due;
            if (before != null) {
                before.cancel(false);
            }
            due = scheduler.schedule(this::resync, scheduler.getClock().instant().plus(SETTLE));
        }
    }

    /**
     * On the gateway's scheduler, which the heartbeat shares: the bans go to their own outbox thread, and the queued
     * messages, one Redis script per principal logged in here, to a virtual thread of their own, so that a pod with
     * many principals never holds up a heartbeat scan.
     */
    private void resync() {
        lost = false;
        log.info("Cluster: Redis reachable again; re-reading the bans and queued messages this pod may have missed");
        bans.resync();
        Set<String> loggedIn = new TreeSet<>();
        for (Peer peer : peers.all()) {
            if (peer.principal() != null && !peer.awaitsAuthentication()) {
                loggedIn.add(Objects.requireNonNull(peer.principal()));
            }
        }
        if (!loggedIn.isEmpty()) {
            Thread.ofVirtual().name("cluster-resync").start(() -> loggedIn.forEach(principals::flush));
        }
    }

    @Override
    public void stop() {
        Disposable subscription = events;
        if (subscription != null) {
            subscription.dispose();
        }
        ScheduledFuture<?> pending = due;
        if (pending != null) {
            pending.cancel(false);
        }
        events = null;
    }

    @Override
    public boolean isRunning() {
        return events != null;
    }
}
