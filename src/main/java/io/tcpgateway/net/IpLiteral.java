package io.tcpgateway.net;

import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * IP address literals as RFC 791 and RFC 4291 write them, and nothing looser. The JDK's
 * {@link InetAddress#ofLiteral} also takes BSD shorthand ({@code 1.2.3} is {@code 1.2.0.3}), leading
 * zeros (octal to some parsers, decimal to others), brackets and zone ids; text that reaches the
 * gateway from a PROXY header or the admin API must mean one address to everyone who reads it, so
 * those are refused here before the JDK turns the text into bytes. Never asks DNS.
 */
public final class IpLiteral {

    /** 0 to 255 in decimal, without leading zeros. */
    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(?:\\." + OCTET + "){3}");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

    private IpLiteral() {
    }

    /**
     * The address {@code text} writes: four decimal octets, or an IPv6 address in the forms of RFC 4291
     * section 2.2 (groups of one to four hex digits, at most one {@code ::}, an optional dotted IPv4 tail).
     * An IPv4-mapped IPv6 address ({@code ::ffff:203.0.113.7}) is that IPv4 address.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static InetAddress parse(String text) {
        if (!isIpv4(text) && !isIpv6(text)) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        return InetAddress.ofLiteral(text);
    }

    /** Four decimal octets 0-255, no leading zeros, nothing else. */
    public static boolean isIpv4(String text) {
        return IPV4.matcher(text).matches();
    }

    /** RFC 4291 section 2.2 text: eight groups, or fewer around one {@code ::}; the last two may be dotted IPv4. */
    public static boolean isIpv6(String text) {
        int compressed = text.indexOf("::");
        if (compressed >= 0 && text.indexOf("::", compressed + 1) >= 0) {
            return false;
        }
        if (compressed < 0) {
            return groups(text) == 8;
        }
        String before = text.substring(0, compressed);
        String after = text.substring(compressed + 2);
        if (before.indexOf('.') >= 0) {
            return false; // a dotted tail only at the very end
        }
        int head = before.isEmpty() ? 0 : groups(before);
        int tail = after.isEmpty() ? 0 : groups(after);
        return head >= 0 && tail >= 0 && head + tail <= 7;
    }

    /** How many 16-bit groups a run of {@code :}-separated groups holds (a dotted IPv4 last counts two), or -1. */
    private static int groups(String run) {
        String[] parts = run.split(":", -1);
        int count = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == parts.length - 1 && part.indexOf('.') >= 0) {
                if (!isIpv4(part)) {
                    return -1;
                }
                count += 2;
            }
            else if (HEX_GROUP.matcher(part).matches()) {
                count++;
            }
            else {
                return -1;
            }
        }
        return count;
    }
}
