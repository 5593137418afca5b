package io.tcpgateway.ban;

import java.net.InetAddress;
import java.time.Instant;

/**
 * One ban: new connections from {@code target} are refused until {@code until}.
 *
 * @param target the address or range
 * @param until when it ends by itself
 * @param reason why it was made
 */
public record Ban(BanTarget target, Instant until, BanReason reason) {

    boolean isActive(long nowMillis) {
        return until.toEpochMilli() > nowMillis;
    }

    public boolean covers(InetAddress address) {
        return target.matches(address);
    }
}
