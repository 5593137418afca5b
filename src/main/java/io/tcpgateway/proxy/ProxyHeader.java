package io.tcpgateway.proxy;

import java.net.InetSocketAddress;

/** What the start of a connection said about its client. */
public sealed interface ProxyHeader {

    /** A header naming the client: the connection is that client's, relayed by the socket's peer. */
    record Client(InetSocketAddress address) implements ProxyHeader {
    }

    /**
     * A header that names no client (v1 {@code UNKNOWN}, v2 {@code LOCAL} or an unspecified family): the
     * socket's own address is the client's.
     *
     * @param fromBalancer v2 {@code LOCAL}: the balancer opened the connection on its own behalf, which the
     *     PROXY protocol says is done for health checks; not a client at all
     */
    record Local(boolean fromBalancer) implements ProxyHeader {
    }

    /**
     * No header: the connection's first bytes are its own data, given back here so that nothing is
     * lost (the parser never reads further than it must to tell).
     */
    record Absent(byte[] firstBytes) implements ProxyHeader {
    }
}
