package io.tcpgateway.config;

import java.util.Locale;

/** How a listener's clients prove who they are (CONTRACT section 11). */
public enum Auth implements ConfigName {
    /** Nobody is asked. */
    NONE,
    /** The first frame must be {@code AUTH <token>}: a static token or a JWT. */
    TOKEN,
    /** A client certificate the listener's SSL bundle trusts, checked in the TLS handshake. */
    CLIENT_CERT;

    @Override
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
