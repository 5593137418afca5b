package io.tcpgateway.ban;

import io.tcpgateway.net.IpLiteral;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * What a ban covers: one address (prefix length = all its bits) or a CIDR range, held as the range's
 * first address. Written {@code 203.0.113.7} or {@code 203.0.113.0/24}; in a URL path the {@code /} is
 * written {@code _}.
 *
 * @param network the address, or the first address of the range
 * @param prefixLength how many leading bits must match: 32 (IPv4) or 128 (IPv6) for one address
 */
public record BanTarget(InetAddress network, int prefixLength) {

    /** Ranges shorter than this cover a large share of the internet: the API asks for {@code force} (CONTRACT 6). */
    private static final int BROAD_IPV4 = 8;
    private static final int BROAD_IPV6 = 32;

    public BanTarget {
        int bits = bitsOf(network);
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length /" + prefixLength + " is not between 0 and " + bits);
        }
        network = masked(network, prefixLength);
    }

    /** One address. */
    public static BanTarget of(InetAddress address) {
        return new BanTarget(address, bitsOf(address));
    }

    /**
     * {@code 203.0.113.7}, {@code 2001:db8::1}, {@code 203.0.113.0/24} or {@code 203.0.113.0_24}; never
     * a host name (nothing here asks DNS). A range with host bits set ({@code 203.0.113.9/24}) is refused
     * naming its network: it is a typo for one address or for the network, and guessing either bans the
     * wrong clients.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static BanTarget parse(String text) {
        String trimmed = text.strip().replace('_', '/');
        int slash = trimmed.indexOf('/');
        String address = (slash < 0) ? trimmed : trimmed.substring(0, slash);
        InetAddress parsed = literal(address, text);
        if (slash < 0) {
            return of(parsed);
        }
        String prefix = trimmed.substring(slash + 1);
        if (!prefix.matches("[0-9]{1,3}")) {
            throw new IllegalArgumentException("'" + text + "' has no prefix length after the '/'");
        }
        BanTarget target;
        try {
            target = new BanTarget(parsed, Integer.parseInt(prefix));
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("'" + text + "': " + ex.getMessage());
        }
        if (!target.network().equals(parsed)) {
            throw new IllegalArgumentException("'" + text + "' has host bits set: the network is " + target
                    + " (or ban the one address " + parsed.getHostAddress() + ")");
        }
        return target;
    }

    /** A range shorter than /8 (IPv4) or /32 (IPv6): banning it takes {@code "force":true}. */
    public boolean isBroad() {
        return prefixLength < ((network instanceof Inet4Address) ? BROAD_IPV4 : BROAD_IPV6);
    }

    private static InetAddress literal(String address, String text) {
        try {
            return IpLiteral.parse(address);
        }
        catch (IllegalArgumentException ex) {
            throw notAnAddress(text);
        }
    }

    private static IllegalArgumentException notAnAddress(String text) {
        return new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range (such as 203.0.113.7, "
                + "203.0.113.0/24 or 2001:db8::/32)");
    }

    /** Whether {@code address} is this one or inside this range. */
    public boolean matches(InetAddress address) {
        if (bitsOf(address) != bitsOf(network)) {
            return false;
        }
        byte[] candidate = address.getAddress();
        byte[] wanted = network.getAddress();
        int whole = prefixLength / 8;
        for (int i = 0; i < whole; i++) {
            if (candidate[i] != wanted[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (candidate[whole] & mask) == (wanted[whole] & mask);
    }

    /** A range rather than one address. */
    public boolean isRange() {
        return prefixLength < bitsOf(network);
    }

    /** As written in the API: the address, with {@code /prefix} for a range. */
    @Override
    public String toString() {
        return network.getHostAddress() + (isRange() ? "/" + prefixLength : "");
    }

    private static int bitsOf(InetAddress address) {
        return (address instanceof Inet4Address) ? 32 : 128;
    }

    private static InetAddress masked(InetAddress address, int prefixLength) {
        byte[] bytes = address.getAddress();
        for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(bytes);
        }
        catch (UnknownHostException impossible) { // only for a wrong length, and the length is the address's own
            throw new IllegalStateException(impossible);
        }
    }
}
