package io.tcpgateway.listener;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import io.tcpgateway.connection.Acceptor;
import io.tcpgateway.connection.GatewayListener;
import org.jspecify.annotations.Nullable;
import org.springframework.integration.ip.tcp.connection.TcpNetServerConnectionFactory;

/**
 * The stock blocking server factory with a server socket that survives accept failures
 * ({@link RetryingServerSocket}), plus a way to stop accepting while open connections drain.
 */
final class GatewayServerConnectionFactory extends TcpNetServerConnectionFactory implements Acceptor {

    private final GatewayListener listener;

    GatewayServerConnectionFactory(GatewayListener listener) {
        super(listener.properties().port());
        this.listener = listener;
    }

    @Override
    protected ServerSocket createServerSocket(int port, int backlog, @Nullable InetAddress whichNic) throws IOException {
        ServerSocket socket = new RetryingServerSocket(listener);
        try {
            socket.bind(new InetSocketAddress(whichNic, port), Math.abs(backlog));
        }
        catch (IOException ex) {
            socket.close();
            throw ex;
        }
        return socket;
    }

    String listenerName() {
        return listener.name();
    }

    @Override
    public int boundPort() {
        return getPort();
    }

    @Override
    public void stopAccepting() {
        beforeShutdown(); // a connection accepted concurrently is closed at once
        ServerSocket serverSocket = getServerSocket();
        if (serverSocket != null) {
            try {
                serverSocket.close(); // ends the accept loop; the port is free for a new pod
            }
            catch (IOException ignored) {
                // already closed
            }
        }
    }
}
