package io.tcpgateway.ban;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The bans in force on this pod, the one place they are kept: single addresses in a hash map (one
 * lookup per new connection), ranges in a second map that is only walked when it holds something.
 * Bans end by themselves ({@link #expire}, run every second; until then a ban past its time is
 * already ignored). Every ban and every end of one is logged once; bans made or lifted are published
 * as {@link BanChange}s. Meters: {@code gateway.bans.active}, {@code gateway.bans.issued{reason}}.
 */
@Component
public class BanList {

    private static final Logger log = LoggerFactory.getLogger(BanList.class);

    private final Map<InetAddress, Ban> addresses = new ConcurrentHashMap<>();
    private final Map<BanTarget, Ban> ranges = new ConcurrentHashMap<>();
    private final ApplicationEventPublisher events;
    /** {@code gateway.bans.issued}, by the reason's ordinal. */
    private final Counter[] issued = new Counter[BanReason.values().length];

    public BanList(ApplicationEventPublisher events, MeterRegistry meters) {
        this.events = events;
        Gauge.builder("gateway.bans.active", this, (bans) -> bans.addresses.size() + bans.ranges.size())
                .description("Addresses and ranges banned now").register(meters);
        for (BanReason reason : BanReason.values()) {
            issued[reason.ordinal()] = Counter.builder("gateway.bans.issued").tag("reason", reason.tag())
                    .description("Bans made on this pod, by reason").register(meters);
        }
    }

    /** Whether new connections from {@code address} are refused now. */
    public boolean isBanned(InetAddress address) {
        return banOf(address) != null;
    }

    /** The ban in force on {@code address}, or null. */
    public @Nullable Ban banOf(InetAddress address) {
        if (addresses.isEmpty() && ranges.isEmpty()) {
            return null; // the common case: one read of each map's size
        }
        long now = System.currentTimeMillis();
        Ban exact = addresses.get(address);
        if (exact != null && exact.isActive(now)) {
            return exact;
        }
        if (!ranges.isEmpty()) {
            for (Ban range : ranges.values()) {
                if (range.isActive(now) && range.covers(address)) {
                    return range;
                }
            }
        }
        return null;
    }

    /**
     * Bans {@code target} for {@code duration} (replacing a ban on the same target) and tells the
     * rest of the gateway; {@code closeOpen} asks for its open connections to be closed as well.
     */
    public Ban ban(BanTarget target, Duration duration, BanReason reason, boolean closeOpen) {
        Ban ban = new Ban(target, Instant.now().plus(duration).truncatedTo(ChronoUnit.MILLIS), reason);
        put(ban);
        issued[reason.ordinal()].increment();
        log.atWarn().addKeyValue("address", target).addKeyValue("until", ban.until()).addKeyValue("reason", reason)
                .log("Banned {} until {} ({}){}", target, ban.until(), reason, closeOpen ? ", closing its connections" : "");
        events.publishEvent(BanChange.banned(this, ban, closeOpen, true));
        return ban;
    }

    /**
     * A ban made on another pod; ignored when it has already ended.
     *
     * @param source where it comes from, for the log line ("from pod b", "stored in Redis")
     */
    public void apply(Ban ban, boolean closeOpen, String source) {
        if (!ban.isActive(System.currentTimeMillis())) {
            return;
        }
        put(ban);
        log.atWarn().addKeyValue("address", ban.target()).addKeyValue("until", ban.until())
                .addKeyValue("reason", ban.reason()).addKeyValue("source", source)
                .log("Banned {} until {} ({}, {})", ban.target(), ban.until(), ban.reason(), source);
        events.publishEvent(BanChange.banned(this, ban, closeOpen, false));
    }

    /** Lifts the ban on exactly {@code target}; empty when there was none. */
    public Optional<Ban> lift(BanTarget target) {
        Ban lifted = remove(target);
        if (lifted == null || !lifted.isActive(System.currentTimeMillis())) {
            return Optional.empty(); // none, or one that had just run out (its expiry is logged by expire)
        }
        log.atWarn().addKeyValue("address", target).log("Ban lifted: {} (by an operator)", target);
        events.publishEvent(BanChange.lifted(this, lifted, true));
        return Optional.of(lifted);
    }

    /** A ban lifted on another pod. */
    public void liftFromCluster(BanTarget target, String fromPod) {
        Ban lifted = remove(target);
        if (lifted != null) {
            log.atWarn().addKeyValue("address", target).addKeyValue("fromPod", fromPod)
                    .log("Ban lifted: {} (by an operator, on pod {})", target, fromPod);
            events.publishEvent(BanChange.lifted(this, lifted, false));
        }
    }

    /** The bans in force, the latest to end first. */
    public List<Ban> active() {
        long now = System.currentTimeMillis();
        List<Ban> all = new ArrayList<>(addresses.size() + ranges.size());
        addresses.values().stream().filter((ban) -> ban.isActive(now)).forEach(all::add);
        ranges.values().stream().filter((ban) -> ban.isActive(now)).forEach(all::add);
        all.sort(Comparator.comparing(Ban::until).reversed().thenComparing((ban) -> ban.target().toString()));
        return all;
    }

    /** Ends the bans whose time is up, with one log line each. */
    public void expire() {
        long now = System.currentTimeMillis();
        expire(addresses, now);
        expire(ranges, now);
    }

    private <K> void expire(Map<K, Ban> bans, long now) {
        if (bans.isEmpty()) {
            return;
        }
        bans.forEach((key, ban) -> {
            if (!ban.isActive(now) && bans.remove(key, ban)) {
                log.atInfo().addKeyValue("address", ban.target()).addKeyValue("reason", ban.reason())
                        .log("Ban expired: {} ({})", ban.target(), ban.reason());
            }
        });
    }

    private void put(Ban ban) {
        if (ban.target().isRange()) {
            ranges.put(ban.target(), ban);
        }
        else {
            addresses.put(ban.target().network(), ban);
        }
    }

    private @Nullable Ban remove(BanTarget target) {
        return target.isRange() ? ranges.remove(target) : addresses.remove(target.network());
    }
}
