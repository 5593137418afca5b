package io.tcpgateway.config;

import java.util.Locale;

/** How frames are delimited on the wire. */
public enum Framing implements ConfigName {
    /** Frames end with LF; a CR right before the LF is dropped (telnet and nc both work). */
    LINE,
    /** A 4-byte big-endian unsigned length, then that many bytes. */
    LENGTH_PREFIX,
    /** 0x02, payload, 0x03. */
    STX_ETX;

    /** As written in the configuration and shown by the admin API ({@code line}, {@code length-prefix}, {@code stx-etx}). */
    @Override
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
