package io.tcpgateway.ban;

import io.tcpgateway.config.FlappingProperties;
import io.tcpgateway.config.GatewayProperties;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The gate in front of every new connection (CONTRACT section 12): a banned address is refused; with
 * {@code gateway.flapping.enabled}, every other connection is counted against its address, and the one
 * that goes over {@code max-count} within {@code window} bans the address for {@code ban-time} (and is
 * refused itself). Failed authentications count the same way against {@code max-auth-failures}.
 * Attempts refused while banned are not counted, and an address's count starts afresh when it is banned.
 * Counted per pod. A window starts at the address's first connection and ends {@code window} later.
 */
@Component
public class FlappingGuard implements BanGate {

    private static final Logger log = LoggerFactory.getLogger(FlappingGuard.class);

    /**
     * Addresses counted at once. Beyond it (connections from more addresses within one window than
     * this, which takes an attack from a very large address space) new addresses are not counted until
     * windows end, rather than memory growing without bound; logged once.
     */
    static final int MAX_TRACKED = 100_000;

    private final BanList bans;
    private final FlappingProperties flapping;
    private final long windowNanos;
    private final Map<InetAddress, Window> windows = new ConcurrentHashMap<>();
    private final AtomicBoolean warnedFull = new AtomicBoolean();

    public FlappingGuard(BanList bans, GatewayProperties properties) {
        this.bans = bans;
        this.flapping = properties.flapping();
        this.windowNanos = flapping.window().toNanos();
    }

    /** One address's counts in its current window; changed only inside the map's compute for its address. */
    private static final class Window {
        private final long startedAt;
        private int connections;
        private int authFailures;

        Window(long startedAt) {
            this.startedAt = startedAt;
        }
    }

    @Override
    public boolean refuses(InetAddress address) {
        if (bans.isBanned(address)) {
            return true;
        }
        if (!flapping.enabled()) {
            return false;
        }
        return count(address, false) > flapping.maxCount() && banFor(address, BanReason.FLAPPING);
    }

    /** A failed authentication from {@code address}: bans it once over {@code max-auth-failures}. */
    @Override
    public void authenticationFailed(InetAddress address) {
        if (flapping.enabled() && !bans.isBanned(address)
                && count(address, true) > flapping.maxAuthFailures()) {
            banFor(address, BanReason.AUTH_FAILURES);
        }
    }

    /** Forgets windows that have ended; run every second. */
    public void forgetEndedWindows() {
        if (windows.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        windows.values().removeIf((window) -> now - window.startedAt >= windowNanos);
        if (windows.size() < MAX_TRACKED / 2) {
            warnedFull.set(false);
        }
    }

    /** Adds one to the address's count in its current window (a new one when it has ended); its new count. */
    private int count(InetAddress address, boolean authFailure) {
        if (windows.size() >= MAX_TRACKED && !windows.containsKey(address)) {
            if (warnedFull.compareAndSet(false, true)) {
                log.warn("Flapping detection: {} addresses counted in one window; new addresses are not counted "
                        + "until windows end", MAX_TRACKED);
            }
            return 0;
        }
        long now = System.nanoTime();
        int[] counted = new int[1];
        windows.compute(address, (key, current) -> { // atomic per address
            Window window = (current == null || now - current.startedAt >= windowNanos) ? new Window(now) : current;
            counted[0] = authFailure ? ++window.authFailures : ++window.connections;
            return window;
        });
        return counted[0];
    }

    /** Bans the address unless someone else just did; true either way, as it is banned now. */
    private boolean banFor(InetAddress address, BanReason reason) {
        windows.remove(address); // starts afresh when the ban ends
        if (!bans.isBanned(address)) {
            bans.ban(BanTarget.of(address), flapping.banTime(), reason, false);
        }
        return true;
    }
}
