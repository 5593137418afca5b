package io.tcpgateway.config;

import java.util.Locale;

/** Whether a listener takes a PROXY protocol header at the start of each connection (CONTRACT section 2). */
public enum ProxyProtocol implements ConfigName {
    /** No header is read; the socket's address is the client's. */
    OFF,
    /** A connection may start with a header (from a trusted proxy); one without keeps its socket address. */
    OPTIONAL,
    /** Every connection must start with a valid header within {@code proxy-header-timeout}. */
    REQUIRED;

    @Override
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
