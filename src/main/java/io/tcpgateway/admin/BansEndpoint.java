package io.tcpgateway.admin;

import io.tcpgateway.admin.AdminResult.BadRequest;
import io.tcpgateway.admin.AdminResult.NotFound;
import io.tcpgateway.ban.Ban;
import io.tcpgateway.ban.BanList;
import io.tcpgateway.ban.BanReason;
import io.tcpgateway.ban.BanTarget;
import io.tcpgateway.config.GatewayProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/bans} (CONTRACT sections 6 and 12): list the bans in force, ban an address or range,
 * lift a ban. A ban made or lifted here reaches every pod in a cluster; the list is this pod's, which
 * holds the same bans.
 */
@Component
@Endpoint(id = "bans")
public class BansEndpoint {

    /** The longest ban the API takes; longer is a typo more often than a plan. */
    static final Duration LONGEST = Duration.ofDays(3650);

    private static final Logger log = LoggerFactory.getLogger(BansEndpoint.class);

    private final BanList bans;
    private final Duration defaultDuration;

    public BansEndpoint(BanList bans, GatewayProperties properties) {
        this.bans = bans;
        this.defaultDuration = properties.flapping().banTime();
    }

    /** {@code {"bans":[{"address","until","reason"}]}}, the latest to end first. */
    @ReadOperation
    public Map<String, List<BanDescriptor>> list() {
        return Map.of("bans", bans.active().stream().map(BanDescriptor::of).toList());
    }

    /**
     * Bans {@code address} (an address or a CIDR range) for {@code duration} (ISO-8601 such as
     * {@code PT10M}, or {@code 10m}; default {@code gateway.flapping.ban-time}); 201 with the ban.
     * {@code closeOpen} closes its open connections too. A range shorter than /8 (IPv4) or /32 (IPv6)
     * takes {@code force}: {@code 0.0.0.0/0} with {@code closeOpen} would disconnect every client.
     */
    @WriteOperation
    public WebEndpointResponse<Object> ban(@Nullable String address, @Nullable String duration,
            @Nullable Boolean closeOpen, @Nullable Boolean force) {
        if (address == null) {
            return AdminResponses.of(new BadRequest("address is missing: an IP address or CIDR range such as 203.0.113.0/24"));
        }
        BanTarget target;
        try {
            target = BanTarget.parse(address);
        }
        catch (IllegalArgumentException ex) {
            return AdminResponses.of(new BadRequest("address " + ex.getMessage()));
        }
        Duration length = (duration != null) ? parseDuration(duration) : defaultDuration;
        if (length == null) {
            return AdminResponses.of(new BadRequest("duration must be an ISO-8601 duration such as PT10M (or 10m) "
                    + "between 1s and " + LONGEST.toDays() + " days, not '" + duration + "'"));
        }
        if (target.isBroad()) {
            if (!Boolean.TRUE.equals(force)) {
                return AdminResponses.of(new BadRequest("address " + target + " covers /" + target.prefixLength()
                        + ", more of the internet than /8 (IPv4) or /32 (IPv6); send \"force\":true to ban it anyway"));
            }
            log.warn("Forced ban of the broad range {} (closeOpen={}) through the admin API", target,
                    Boolean.TRUE.equals(closeOpen));
        }
        Ban ban = bans.ban(target, length, BanReason.ADMIN, Boolean.TRUE.equals(closeOpen));
        return AdminResponses.created(BanDescriptor.of(ban));
    }

    /** Lifts the ban on exactly this address or range ({@code /} written {@code _}); 404 when there is none. */
    @DeleteOperation
    public WebEndpointResponse<Object> lift(@Selector String address) {
        BanTarget target;
        try {
            target = BanTarget.parse(address);
        }
        catch (IllegalArgumentException ex) {
            return AdminResponses.of(new BadRequest("address " + ex.getMessage()));
        }
        return AdminResponses.of(bans.lift(target).isPresent() ? new AdminResult.Done()
                : new NotFound("no ban on " + target + " (GET /actuator/bans lists them; a range is lifted as a whole)"));
    }

    private static @Nullable Duration parseDuration(String text) {
        try {
            Duration parsed = DurationStyle.detectAndParse(text.strip());
            return (parsed.compareTo(Duration.ofSeconds(1)) >= 0 && parsed.compareTo(LONGEST) <= 0) ? parsed : null;
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
    }

    /** One ban as the API shows it; {@code until} is an ISO-8601 UTC string. */
    record BanDescriptor(String address, String until, String reason) {

        static BanDescriptor of(Ban ban) {
            return new BanDescriptor(ban.target().toString(), ban.until().toString(), ban.reason().tag());
        }
    }
}
