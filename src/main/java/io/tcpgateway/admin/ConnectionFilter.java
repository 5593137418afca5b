package io.tcpgateway.admin;

import io.tcpgateway.connection.ClosedPeer;
import io.tcpgateway.connection.Peer;
import java.net.InetAddress;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The filters of {@code GET /actuator/connections} (CONTRACT section 6); a null filter takes every
 * connection. A {@code remoteAddress} is compared as an address when it is one, so {@code 2001:db8::1}
 * finds {@code 2001:db8:0:0:0:0:0:1}.
 *
 * @param listener the listener's name
 * @param principal who the client authenticated as
 * @param remoteAddress the client address (the PROXY header's when there was one)
 */
record ConnectionFilter(@Nullable String listener, @Nullable String principal, @Nullable String remoteAddress) {

    boolean matches(Peer peer) {
        return matches(peer.listener().name(), peer.principal(), peer.remoteAddress());
    }

    boolean matches(ClosedPeer peer) {
        return matches(peer.listener(), peer.principal(), peer.remoteAddress());
    }

    private boolean matches(String listenerName, @Nullable String principalName, String address) {
        return (listener == null || listener.equals(listenerName))
                && (principal == null || principal.equals(principalName))
                && (remoteAddress == null || sameAddress(remoteAddress, address));
    }

    private static boolean sameAddress(String wanted, String actual) {
        if (wanted.equals(actual)) {
            return true;
        }
        try {
            return Objects.equals(InetAddress.ofLiteral(wanted), InetAddress.ofLiteral(actual));
        }
        catch (IllegalArgumentException notAnAddress) {
            return false;
        }
    }
}
