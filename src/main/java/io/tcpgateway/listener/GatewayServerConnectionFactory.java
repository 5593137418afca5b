package io.tcpgateway.listener;

import java.io.IOException;
import java.net.ServerSocket;
import org.springframework.integration.ip.tcp.connection.TcpNetServerConnectionFactory;

/** The stock blocking server factory, plus a way to stop accepting while open connections drain. */
final class GatewayServerConnectionFactory extends TcpNetServerConnectionFactory {

    GatewayServerConnectionFactory(int port) {
        super(port);
    }

    boolean acceptLoopEnded() {
        return !isActive();
    }

    void stopAccepting() {
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
