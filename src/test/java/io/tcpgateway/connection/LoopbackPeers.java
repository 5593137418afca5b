package io.tcpgateway.connection;

import io.tcpgateway.ban.BanGate;
import io.tcpgateway.config.Auth;
import io.tcpgateway.config.DuplicatePrincipal;
import io.tcpgateway.config.Framing;
import io.tcpgateway.config.ListenerProperties;
import io.tcpgateway.config.Mode;
import io.tcpgateway.config.OutboundProperties;
import io.tcpgateway.config.ProxyProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.util.unit.DataSize;

/**
 * Peers over real loopback sockets without a gateway around them: a {@link GatewayListener} with the
 * given limits, and per peer the gateway's side (a {@link GatewayConnection}) and the client's socket.
 * Writers run on virtual threads through a counting executor, so a test can see how many ran and
 * whether two ever ran at once for one peer.
 */
final class LoopbackPeers implements AutoCloseable {

    final AtomicInteger writerRuns = new AtomicInteger();
    private final ServerSocket server;
    private final SimpleAsyncTaskScheduler scheduler = new SimpleAsyncTaskScheduler();
    private final List<Socket> sockets = new ArrayList<>();
    final GatewayListener listener;

    LoopbackPeers(DataSize maxPendingBytes, int maxConnections) {
        this(maxPendingBytes, maxConnections, 0);
    }

    LoopbackPeers(DataSize maxPendingBytes, int maxConnections, int maxPerSource) {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        Executor counting = (task) -> {
            writerRuns.incrementAndGet();
            Thread.ofVirtual().start(task);
        };
        ListenerProperties properties = new ListenerProperties("test", 0, "127.0.0.1", Mode.BROADCAST, false,
                Framing.LINE, 65_536, maxConnections, null, ProxyProtocol.OFF, Duration.ofSeconds(5), List.of(), maxPerSource, 0, 0, null,
                Auth.NONE, DuplicatePrincipal.ALLOW, null, false);
        listener = new GatewayListener(properties, new OutboundProperties(maxPendingBytes, Duration.ofMillis(50),
                Duration.ofSeconds(10)), new ConnectionExecutors(scheduler, counting, Duration.ZERO), "", BanGate.OPEN, Duration.ofSeconds(5),
                new InboundBudget(64L << 20, Duration.ofSeconds(30)), new DescriptorReserve(0, 0));
    }

    /** A connected pair: the gateway's peer, and the client's socket to read what it is sent. */
    record Pair(Peer peer, Socket client) {
    }

    Pair connect() {
        return connect(0);
    }

    /**
     * With {@code socketBuffers} above 0, both the client's receive buffer and the gateway side's send
     * buffer are that small, so a client that does not read backs the queue up after a few KiB.
     */
    Pair connect(int socketBuffers) {
        try {
            Socket client = new Socket();
            if (socketBuffers > 0) {
                client.setReceiveBufferSize(socketBuffers);
            }
            client.connect(server.getLocalSocketAddress());
            Socket accepted = server.accept();
            if (socketBuffers > 0) {
                accepted.setSendBufferSize(socketBuffers);
            }
            sockets.add(client);
            sockets.add(accepted);
            return new Pair(new GatewayConnection(accepted, listener, null, null, null).peer(), client);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        server.close();
        scheduler.close();
    }
}
