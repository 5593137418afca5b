package io.tcpgateway.connection;

import io.tcpgateway.config.DuplicatePrincipal;
import io.tcpgateway.config.ListenerProperties;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The open peers of one listener, the one place they are kept (Netty's {@code ChannelGroup}): admission
 * under {@code max-connections} and {@code max-connections-per-source}, release, lookup by id, and
 * delivery of one encoded frame to all of them. On an {@code auth: token} listener a peer that has not
 * authenticated yet receives nothing sent to all; that check is chosen once, not tested per receiver on
 * listeners without it (it cost 8-25 % of broadcast 100x1 when it was). On a listener with auth the open
 * peers are also found by principal, and {@code duplicate-principal} is decided here, atomically per principal.
 */
final class OpenPeers {

    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    private final Collection<Peer> view = Collections.unmodifiableCollection(peers.values());
    private final AtomicInteger admitted = new AtomicInteger();
    /** Admitted connections per client address; used only with {@code max-connections-per-source}. */
    private final Map<String, Integer> openPerSource = new ConcurrentHashMap<>();
    /** The open peers that claimed a principal, by principal (small immutable lists); empty without auth. */
    private final Map<String, List<Peer>> byPrincipal = new ConcurrentHashMap<>();
    private final int maxConnections;
    private final int maxPerSource;
    private final boolean onlyAuthenticated;

    OpenPeers(ListenerProperties properties, boolean onlyAuthenticated) {
        this.maxConnections = properties.maxConnections();
        this.maxPerSource = properties.maxConnectionsPerSource();
        this.onlyAuthenticated = onlyAuthenticated;
    }

    /**
     * Takes one of its address's {@code max-connections-per-source} slots and one of the listener's
     * {@code max-connections} slots, and makes the peer open; the reason it is refused otherwise
     * ({@code source-limit} is checked first, so one busy address is told so rather than "server full").
     */
    @Nullable CloseReason admit(Peer peer) {
        if (!takeSourceSlot(peer.remoteAddress())) {
            return CloseReason.SOURCE_LIMIT;
        }
        int current;
        do {
            current = admitted.get();
            if (current >= maxConnections) {
                releaseSourceSlot(peer.remoteAddress());
                return CloseReason.REJECTED;
            }
        }
        while (!admitted.compareAndSet(current, current + 1));
        peer.admit();
        peers.put(peer.id(), peer);
        return null;
    }

    /** Frees the peer's slots; false when it was not open (never admitted, or released already). */
    boolean release(Peer peer) {
        if (peers.remove(peer.id(), peer)) {
            admitted.decrementAndGet();
            releaseSourceSlot(peer.remoteAddress());
            String principal = peer.principal();
            if (principal != null) {
                byPrincipal.computeIfPresent(principal, (key, holders) -> without(holders, peer));
            }
            return true;
        }
        return false;
    }

    /**
     * What {@code peer}, open and authenticated, claiming its principal here comes to under {@code policy}:
     * null when it is refused ({@code refuse} and another peer holds the principal, or it is no longer
     * open), else the peers it displaces ({@code replace}: every other holder; none otherwise). One compute
     * per principal, so two logins of one principal at the same moment are decided one after the other.
     */
    @Nullable List<Peer> claim(Peer peer, String principal, DuplicatePrincipal policy) {
        List<Peer>[] displaced = new List[1];
        byPrincipal.compute(principal, (key, holders) -> {
            List<Peer> current = (holders == null) ? List.of() : holders;
            if (peers.get(peer.id()) != peer || (policy == DuplicatePrincipal.REFUSE && !current.isEmpty())) {
                return holders; // closed meanwhile (its release ran before), or refused
            }
            if (policy == DuplicatePrincipal.REPLACE) {
                displaced[0] = current;
                return List.of(peer);
            }
            displaced[0] = List.of();
            List<Peer> more = new ArrayList<>(current);
            more.add(peer);
            return List.copyOf(more);
        });
        return displaced[0];
    }

    /** The open peers that claimed {@code principal} (logged in, or logging in), oldest first. */
    List<Peer> ofPrincipal(String principal) {
        return byPrincipal.getOrDefault(principal, List.of());
    }

    private static @Nullable List<Peer> without(List<Peer> holders, Peer peer) {
        List<Peer> rest = new ArrayList<>(holders);
        rest.remove(peer);
        return rest.isEmpty() ? null : List.copyOf(rest);
    }

    /** A view, cheap to iterate on every broadcast. */
    Collection<Peer> view() {
        return view;
    }

    @Nullable Peer get(String id) {
        return peers.get(id);
    }

    /**
     * Offers one encoded frame to every open peer that takes it (not {@code sender} unless
     * {@code includeSender}); never blocks. With a {@code sender} (a frame its reader is handling) the
     * receivers' writers start when that read burst ends; without (another pod's frame, an operator's),
     * at once. Returns how many peers it was queued to.
     */
    int sendToAll(byte[] wireFrame, @Nullable Peer sender, boolean includeSender) {
        int delivered = 0;
        if (onlyAuthenticated) {
            for (Peer peer : peers.values()) {
                if ((includeSender || peer != sender) && !peer.awaitsAuthentication()) {
                    delivered += offer(peer, wireFrame, sender) ? 1 : 0;
                }
            }
        }
        else {
            for (Peer peer : peers.values()) {
                if (includeSender || peer != sender) {
                    delivered += offer(peer, wireFrame, sender) ? 1 : 0;
                }
            }
        }
        return delivered;
    }

    /** As {@link #sendToAll} without a sender, for several frames, each peer's writer started once. */
    int sendAllToAll(List<byte[]> wireFrames) {
        int delivered = 0;
        for (Peer peer : peers.values()) {
            if (!onlyAuthenticated || !peer.awaitsAuthentication()) {
                delivered += (peer.sendAllFramed(wireFrames) > 0) ? 1 : 0;
            }
        }
        return delivered;
    }

    private static boolean offer(Peer peer, byte[] wireFrame, @Nullable Peer sender) {
        return (sender != null) ? peer.sendFramed(wireFrame, sender) : peer.sendFramed(wireFrame);
    }

    /** Open connections of one client address, while {@code max-connections-per-source} applies. */
    int openFrom(String address) {
        return openPerSource.getOrDefault(address, 0);
    }

    private boolean takeSourceSlot(String address) {
        if (maxPerSource == 0) {
            return true;
        }
        boolean[] taken = new boolean[1];
        openPerSource.compute(address, (key, open) -> {
            int now = (open == null) ? 0 : open;
            if (now >= maxPerSource) {
                return open; // unchanged
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    private void releaseSourceSlot(String address) {
        if (maxPerSource > 0) {
            openPerSource.computeIfPresent(address, (key, open) -> (open <= 1) ? null : open - 1);
        }
    }
}
