package io.tcpgateway.config;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Flapping detection ({@code gateway.flapping.*}, CONTRACT section 12): an address that connects too
 * often, or fails authentication too often, within a window is banned for a while. Bans added through
 * the admin API work whether or not detection is enabled.
 *
 * @param enabled detect flapping addresses and ban them; off by default
 * @param maxCount connections one client address may open within {@code window}; the one after is refused
 *     and bans the address
 * @param window the window {@code max-count} and {@code max-auth-failures} are counted in
 * @param maxAuthFailures failed authentications one client address may have within {@code window}; one more
 *     bans it
 * @param banTime how long a detected address stays banned (also the default of a ban added by the admin API)
 * @param maxTracked client addresses counted at once (memory bound: about 100 bytes each); when more
 *     addresses connect within a window, those furthest from a ban are forgotten first, so an address that
 *     keeps misbehaving is still counted however many others connect once
 */
public record FlappingProperties(
        boolean enabled,
        @DefaultValue("15") int maxCount,
        @DefaultValue("1m") Duration window,
        @DefaultValue("5") int maxAuthFailures,
        @DefaultValue("5m") Duration banTime,
        @DefaultValue("100000") int maxTracked) {
}
