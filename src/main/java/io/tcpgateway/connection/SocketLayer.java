package io.tcpgateway.connection;

import java.io.IOException;
import java.net.Socket;

/**
 * What a listener puts over each accepted socket before the connection reads from it: TLS on a listener
 * with an SSL bundle, nothing otherwise. Layering per connection rather than with a TLS server socket
 * keeps the accept loop on a plain socket whose failures the listener handles itself.
 */
@FunctionalInterface
public interface SocketLayer {

    SocketLayer NONE = (plain, consumed) -> plain;

    /**
     * The socket the connection uses; does no I/O (a TLS handshake runs at the first read).
     *
     * @param consumed bytes already read from {@code plain} that belong to the layer (the start of a
     *     TLS handshake read while looking for a PROXY header); empty when none
     */
    Socket over(Socket plain, byte[] consumed) throws IOException;

    /** Whether this layer is TLS (then it must see the bytes read while looking for a PROXY header). */
    default boolean isTls() {
        return this != NONE;
    }
}
