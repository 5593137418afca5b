package io.tcpgateway.support;

import java.io.ByteArrayOutputStream;

/** PROXY protocol v2 headers as a balancer sends them, for tests. */
public final class ProxyHeaders {

    /** The 12 bytes every v2 header starts with. */
    public static final byte[] V2_SIGNATURE = { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A };

    private ProxyHeaders() {
    }

    /** A v2 header: the signature, version and command, family, the payload's length, the payload. */
    public static byte[] v2(int versionCommand, int family, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(V2_SIGNATURE);
        out.write(versionCommand);
        out.write(family);
        out.write(payload.length >> 8);
        out.write(payload.length & 0xff);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    public static byte[] concat(byte[] first, byte[] second) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(first);
        out.writeBytes(second);
        return out.toByteArray();
    }
}
