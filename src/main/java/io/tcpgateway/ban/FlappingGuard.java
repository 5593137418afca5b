package io.tcpgateway.ban;

import io.tcpgateway.config.FlappingProperties;
import io.tcpgateway.config.GatewayProperties;
import java.net.InetAddress;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The gate in front of every new connection (CONTRACT section 12): a banned address is refused; with
 * {@code gateway.flapping.enabled}, every other connection is counted against its address, and the one
 * that goes over {@code max-count} within {@code window} bans the address for {@code ban-time} (and is
 * refused itself). Failed authentications count the same way against {@code max-auth-failures}.
 * Attempts refused while banned are not counted, and an address's count starts afresh when it is banned.
 * Counted per pod. A window starts at the address's first connection and ends {@code window} later. At
 * most {@code max-tracked} addresses are counted at once; past that, those furthest from a ban are forgotten.
 */
@Component
public class FlappingGuard implements BanGate {

    private static final Logger log = LoggerFactory.getLogger(FlappingGuard.class);

    /** The share of the table forgotten at once when it is full: one scan frees room for many addresses. */
    private static final int EVICT_DIVISOR = 10;

    private final BanList bans;
    private final FlappingProperties flapping;
    private final long windowNanos;
    private final int maxTracked;
    private final Map<InetAddress, Window> windows = new ConcurrentHashMap<>();
    /** Held by the one thread that makes room; others count on meanwhile (the table may pass its bound by a few). */
    private final ReentrantLock evicting = new ReentrantLock();
    private final AtomicBoolean warnedFull = new AtomicBoolean();

    public FlappingGuard(BanList bans, GatewayProperties properties) {
        this.bans = bans;
        this.flapping = properties.flapping();
        this.windowNanos = flapping.window().toNanos();
        this.maxTracked = flapping.maxTracked();
    }

    /** One address's counts in its current window; changed only inside the map's compute for its address. */
    private static final class Window {
        private final long startedAt;
        private volatile long lastSeenAt;
        private int connections;
        private int authFailures;

        Window(long startedAt) {
            this.startedAt = startedAt;
        }

        /** How close the address is to a ban, in thousandths of the nearer limit; 0 once its window ended. */
        int nearness(FlappingProperties limits, long now, long windowNanos) {
            if (now - startedAt >= windowNanos) {
                return 0;
            }
            return Math.max(connections * 1000 / limits.maxCount(), authFailures * 1000 / limits.maxAuthFailures());
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
        if (windows.size() < maxTracked / 2) {
            warnedFull.set(false);
        }
    }

    /** Addresses counted now (for tests and the bound's log line). */
    int tracked() {
        return windows.size();
    }

    /** Adds one to the address's count in its current window (a new one when it has ended); its new count. */
    private int count(InetAddress address, boolean authFailure) {
        if (windows.size() >= maxTracked && !windows.containsKey(address)) {
            makeRoom();
        }
        long now = System.nanoTime();
        int[] counted = new int[1];
        windows.compute(address, (key, current) -> { // atomic per address
            Window window = (current == null || now - current.startedAt >= windowNanos) ? new Window(now) : current;
            counted[0] = authFailure ? ++window.authFailures : ++window.connections;
            window.lastSeenAt = now;
            return window;
        });
        return counted[0];
    }

    /**
     * The table is full (more addresses within one window than {@code max-tracked}: a flood from a large
     * address space, as a PROXY-speaking balancer or an IPv6 /64 allows): forgets the tenth of it that is
     * furthest from a ban (ended windows first), so a flood of addresses that connect once each never
     * pushes out the address that is guessing tokens. Refusing to count new addresses instead would let
     * the flood blind detection for a whole window, again and again.
     */
    private void makeRoom() {
        if (!evicting.tryLock()) {
            return; // someone else is making room
        }
        try {
            if (windows.size() < maxTracked) {
                return;
            }
            if (warnedFull.compareAndSet(false, true)) {
                log.warn("Flapping detection: {} addresses counted within one window (gateway.flapping.max-tracked); "
                        + "forgetting those furthest from a ban first", maxTracked);
            }
            long now = System.nanoTime();
            // Furthest from a ban first (an ended window is as far as can be), then least recently seen. A sort
            // of the whole table, once per tenth of it: a few microseconds per new address, and only in a flood.
            Comparator<Map.Entry<InetAddress, Window>> forgetFirst = Comparator
                    .comparingInt((Map.Entry<InetAddress, Window> entry) -> entry.getValue().nearness(flapping, now, windowNanos))
                    .thenComparingLong((entry) -> entry.getValue().lastSeenAt);
            windows.entrySet().stream().sorted(forgetFirst).limit(Math.max(1, maxTracked / EVICT_DIVISOR)).toList()
                    .forEach((entry) -> windows.remove(entry.getKey(), entry.getValue()));
        }
        finally {
            evicting.unlock();
        }
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
