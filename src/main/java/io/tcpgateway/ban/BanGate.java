package io.tcpgateway.ban;

import java.net.InetAddress;

/**
 * What every new connection passes once its client address is known (at accept, or after its PROXY
 * header): refused when the address is banned. Called for every connection, so it must be cheap.
 */
@FunctionalInterface
public interface BanGate {

    /** Lets everyone in (no bans, no flapping detection). */
    BanGate OPEN = (address) -> false;

    /** Whether to refuse this new connection from {@code address} (reason {@code banned}). */
    boolean refuses(InetAddress address);

    /** A failed or timed-out authentication from {@code address} (flapping detection counts them). */
    default void authenticationFailed(InetAddress address) {
        // nothing to count
    }
}
