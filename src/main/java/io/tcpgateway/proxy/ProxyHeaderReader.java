package io.tcpgateway.proxy;

import io.tcpgateway.net.IpLiteral;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads a PROXY protocol header, v1 (text) or v2 (binary), from the start of a connection, byte by
 * byte, never past the header's end: what follows is the client's data (or a TLS handshake) and stays
 * in the stream. When the first bytes are not a header they are handed back in {@link ProxyHeader.Absent}.
 *
 * <p>v1: {@code PROXY TCP4|TCP6 <src> <dst> <srcport> <dstport>\r\n} or {@code PROXY UNKNOWN ...\r\n},
 * at most 107 bytes. v2: a 12-byte signature, version and command, family, a 2-byte length, the
 * addresses, then TLVs, which are skipped. The caller bounds the time (socket timeouts).
 */
public final class ProxyHeaderReader {

    private static final byte[] V1_START = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2_SIGNATURE = { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A };
    private static final int V1_MAX = 107;
    /** Addresses plus TLVs; balancers send a few hundred bytes at most (AWS adds a VPC endpoint id). */
    private static final int V2_MAX_PAYLOAD = 4096;

    private ProxyHeaderReader() {
    }

    /**
     * Reads the header at the start of {@code in}.
     *
     * @throws InvalidProxyHeaderException when the bytes start like a header but are not a valid one
     * @throws EOFException when the stream ends inside a header (or, with nothing read, before one)
     */
    public static ProxyHeader read(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            throw new EOFException("the connection closed before it sent anything");
        }
        if (first == V1_START[0]) {
            byte[] prefix = readPrefix(in, first, V1_START);
            return (prefix == null) ? readV1(in) : new ProxyHeader.Absent(prefix);
        }
        if (first == V2_SIGNATURE[0]) {
            byte[] prefix = readPrefix(in, first, V2_SIGNATURE);
            return (prefix == null) ? readV2(in) : new ProxyHeader.Absent(prefix);
        }
        return new ProxyHeader.Absent(new byte[] { (byte) first });
    }

    /** Null when the whole {@code expected} prefix came; otherwise the bytes read up to the first mismatch. */
    private static byte @Nullable [] readPrefix(InputStream in, int first, byte[] expected) throws IOException {
        byte[] read = new byte[expected.length];
        read[0] = (byte) first;
        for (int i = 1; i < expected.length; i++) {
            int next = in.read();
            if (next < 0) {
                return Arrays.copyOf(read, i); // ended early: whatever it was, it was not a header
            }
            read[i] = (byte) next;
            if (next != (expected[i] & 0xff)) {
                return Arrays.copyOf(read, i + 1);
            }
        }
        return null;
    }

    private static ProxyHeader readV1(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(V1_MAX);
        int previous = -1;
        for (int length = V1_START.length;; length++) {
            int next = in.read();
            if (next < 0) {
                throw new InvalidProxyHeaderException("v1 header truncated");
            }
            if (length >= V1_MAX) {
                throw new InvalidProxyHeaderException("v1 header longer than " + V1_MAX + " bytes");
            }
            if (previous == '\r' && next == '\n') {
                break;
            }
            if (previous == '\r') {
                throw new InvalidProxyHeaderException("v1 header: CR not followed by LF");
            }
            if (next != '\r') {
                line.write(next);
            }
            previous = next;
        }
        String[] fields = line.toString(StandardCharsets.US_ASCII).split(" ", -1);
        if (fields.length >= 1 && fields[0].equals("UNKNOWN")) {
            return new ProxyHeader.Local(false);
        }
        if (fields.length != 5 || !(fields[0].equals("TCP4") || fields[0].equals("TCP6"))) {
            throw new InvalidProxyHeaderException("v1 header: expected TCP4|TCP6 <source> <destination> <ports>");
        }
        InetAddress source = literal(fields[1], fields[0].equals("TCP4") ? 4 : 16);
        literal(fields[2], fields[0].equals("TCP4") ? 4 : 16);
        int sourcePort = port(fields[3]);
        port(fields[4]);
        return new ProxyHeader.Client(new InetSocketAddress(source, sourcePort));
    }

    private static ProxyHeader readV2(InputStream in) throws IOException {
        int versionCommand = readByte(in);
        int family = readByte(in);
        int length = (readByte(in) << 8) | readByte(in);
        if ((versionCommand >> 4) != 2) {
            throw new InvalidProxyHeaderException("v2 header: version " + (versionCommand >> 4) + ", not 2");
        }
        if (length > V2_MAX_PAYLOAD) {
            throw new InvalidProxyHeaderException("v2 header: " + length + " bytes of addresses and TLVs, more than "
                    + V2_MAX_PAYLOAD);
        }
        byte[] payload = in.readNBytes(length);
        if (payload.length < length) {
            throw new InvalidProxyHeaderException("v2 header truncated");
        }
        int command = versionCommand & 0x0f;
        if (command == 0x0) {
            return new ProxyHeader.Local(true); // LOCAL: the balancer's own connection, addresses ignored
        }
        if (command != 0x1) {
            throw new InvalidProxyHeaderException("v2 header: unknown command " + command);
        }
        return switch (family) {
            case 0x11 -> client(payload, 4); // TCP over IPv4
            case 0x21 -> client(payload, 16); // TCP over IPv6
            case 0x00 -> new ProxyHeader.Local(false); // UNSPEC: no address to take
            default -> throw new InvalidProxyHeaderException("v2 header: family 0x" + Integer.toHexString(family)
                    + " is not TCP over IPv4 or IPv6");
        };
    }

    /** Source address, destination address, source port, destination port; TLVs follow and are skipped. */
    private static ProxyHeader client(byte[] payload, int addressBytes) throws IOException {
        if (payload.length < 2 * addressBytes + 4) {
            throw new InvalidProxyHeaderException("v2 header: address block too short");
        }
        InetAddress source = InetAddress.getByAddress(Arrays.copyOfRange(payload, 0, addressBytes));
        int port = ((payload[2 * addressBytes] & 0xff) << 8) | (payload[2 * addressBytes + 1] & 0xff);
        return new ProxyHeader.Client(new InetSocketAddress(source, port));
    }

    private static int readByte(InputStream in) throws IOException {
        int next = in.read();
        if (next < 0) {
            throw new InvalidProxyHeaderException("v2 header truncated");
        }
        return next;
    }

    /**
     * A v1 address, strictly: four decimal octets for TCP4, RFC 4291 text for TCP6 (an IPv4-mapped one
     * is the IPv4 client it maps). The JDK alone would read {@code 1.2.3} as {@code 1.2.0.3}.
     */
    private static InetAddress literal(String text, int bytes) throws InvalidProxyHeaderException {
        boolean tcp4 = bytes == 4;
        if (tcp4 ? !IpLiteral.isIpv4(text) : !IpLiteral.isIpv6(text)) {
            throw new InvalidProxyHeaderException("v1 header: " + text + " is not an IPv" + (tcp4 ? 4 : 6) + " address");
        }
        return IpLiteral.parse(text);
    }

    private static int port(String text) throws InvalidProxyHeaderException {
        if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) > 65535) {
            throw new InvalidProxyHeaderException("v1 header: " + text + " is not a port");
        }
        return Integer.parseInt(text);
    }
}
