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

    SocketLayer NONE = (plain) -> plain;

    /** The socket the connection uses; does no I/O (a TLS handshake runs at the first read). */
    Socket over(Socket plain) throws IOException;
}
