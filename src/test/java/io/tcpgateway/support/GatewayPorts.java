package io.tcpgateway.support;

import io.tcpgateway.connection.GatewayListener;
import io.tcpgateway.listener.ListenerRegistrar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** The ports the listeners of a test gateway actually bound (they are configured with port 0). */
public final class GatewayPorts {

    private GatewayPorts() {
    }

    public static int of(ListenerRegistrar registrar, String listener) {
        GatewayListener found = registrar.listener(listener);
        if (found == null || found.boundPort() == 0) {
            throw new IllegalStateException("listener " + listener + " is not listening");
        }
        return found.boundPort();
    }

    /** A TCP port nobody listens on right now (for a server the test starts itself). */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
