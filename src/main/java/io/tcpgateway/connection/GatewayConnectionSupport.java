package io.tcpgateway.connection;

import io.tcpgateway.listener.GatewayListener;
import java.net.Socket;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.ip.tcp.connection.TcpNetConnection;
import org.springframework.integration.ip.tcp.connection.TcpNetConnectionSupport;

/** Makes the server connection factory of one listener create {@link GatewayConnection}s. */
public final class GatewayConnectionSupport implements TcpNetConnectionSupport {

    private final GatewayListener listener;

    public GatewayConnectionSupport(GatewayListener listener) {
        this.listener = listener;
    }

    @Override
    public TcpNetConnection createNewConnection(Socket socket, boolean server, boolean lookupHost,
            @Nullable ApplicationEventPublisher publisher, @Nullable String connectionFactoryName) {
        return new GatewayConnection(socket, listener, publisher, connectionFactoryName);
    }
}
