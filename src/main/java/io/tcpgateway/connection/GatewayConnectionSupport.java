package io.tcpgateway.connection;

import io.tcpgateway.config.ProxyProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.ip.tcp.connection.TcpNetConnection;
import org.springframework.integration.ip.tcp.connection.TcpNetConnectionSupport;

/**
 * Makes the server connection factory of one listener create {@link GatewayConnection}s, over the
 * listener's {@link SocketLayer} (TLS or none).
 */
public final class GatewayConnectionSupport implements TcpNetConnectionSupport {

    private static final byte[] NOTHING = new byte[0];

    private final GatewayListener listener;
    private final SocketLayer layer;

    public GatewayConnectionSupport(GatewayListener listener, SocketLayer layer) {
        this.listener = listener;
        this.layer = layer;
    }

    /** A failure here closes the accepted socket (Spring Integration's accept loop does that) and goes on. */
    @Override
    public TcpNetConnection createNewConnection(Socket socket, boolean server, boolean lookupHost,
            @Nullable ApplicationEventPublisher publisher, @Nullable String connectionFactoryName) {
        try {
            if (listener.proxyProtocol() == ProxyProtocol.OFF) {
                return new GatewayConnection(layer.over(socket, NOTHING), listener, null, publisher, connectionFactoryName);
            }
            // The PROXY header comes before TLS: the connection layers TLS itself once the header is read.
            return new GatewayConnection(socket, listener, layer, publisher, connectionFactoryName);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
