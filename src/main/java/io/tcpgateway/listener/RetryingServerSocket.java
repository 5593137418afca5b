package io.tcpgateway.listener;

import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.connection.GatewayListener;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * A listener's server socket whose {@link #accept()} survives accept failures. Spring Integration's
 * accept loop stops the whole connection factory, and with it every open connection, on any
 * exception from {@code accept}; the commonest is running out of file descriptors ("Too many open
 * files"), which a flood of connections causes on purpose. Here a failed accept is counted, logged
 * at most once a second with a count, and retried after a backoff of 10 ms doubling up to 1 s
 * (NATS's accept loop does the same), so the listener takes connections again as soon as
 * descriptors free up. Only a closed server socket (the listener stopping) ends the loop. Accepts
 * are paced to {@code max-connect-rate} ({@link AcceptPacer}).
 *
 * <p>It accepts through a {@link ServerSocketChannel}, so every accepted socket has a channel: a quiet
 * connection's reader gives its thread back and waits in a selector ({@code ParkedReaders}), which only a
 * channel can. Spring Integration sees a plain {@link ServerSocket}: what it calls is passed to the channel.
 */
final class RetryingServerSocket extends ServerSocket {

    private static final Logger log = LoggerFactory.getLogger(RetryingServerSocket.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final BackOff BACKOFF = backOff();

    private final GatewayListener listener;
    private final AcceptPacer pacer;
    private long lastLoggedAt = System.nanoTime() - LOG_EVERY_NANOS;
    private int unlogged;
    private long lastRefusalLoggedAt = System.nanoTime() - LOG_EVERY_NANOS;
    private int refusedForDescriptors;

    private final ServerSocketChannel channel = ServerSocketChannel.open();

    RetryingServerSocket(GatewayListener listener) throws IOException {
        this.listener = listener;
        this.pacer = new AcceptPacer(listener.properties().maxConnectRate());
    }

    private static BackOff backOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(10, 2.0);
        backOff.setMaxInterval(1000);
        return backOff;
    }

    /**
     * Waits for its turn under {@code max-connect-rate}, then accepts, retrying failures. A socket that is
     * refused at accept (the process is down to its reserved file descriptors; or, without PROXY protocol,
     * its address is banned) is refused right here: no thread, no connection object, no TLS handshake, and
     * its turn is given back.
     */
    @Override
    public Socket accept() throws IOException {
        while (true) {
            pacer.awaitTurn();
            Socket socket = acceptRetrying();
            CloseReason refused = listener.acceptGate().refuses(socket.getInetAddress());
            if (refused == null) {
                return socket;
            }
            refuse(socket, refused);
            pacer.giveBack();
        }
    }

    /**
     * Its goodbye ({@code ERROR banned}, {@code ERROR server full}) where the listener can carry one, then
     * closed at once; counted as opened and closed with the reason, not logged per connection (a ban was
     * logged when made; running short of descriptors is logged at most once a second, with a count). The
     * frame fits any new socket's send buffer, so the write never blocks; what the client sent already is
     * skipped, so the close sends no reset that could destroy the frame.
     */
    private void refuse(Socket socket, CloseReason reason) {
        listener.stats().connectionOpened();
        listener.stats().connectionClosed(reason);
        if (reason == CloseReason.REJECTED) {
            refusedForDescriptors++;
            long now = System.nanoTime();
            if (now - lastRefusalLoggedAt >= LOG_EVERY_NANOS) {
                log.atWarn().addKeyValue("listener", listener.name()).addKeyValue("refused", refusedForDescriptors)
                        .log("Listener {} refused {} connection(s) as server full: the process is down to its reserved"
                                + " file descriptors (gateway.inbound.reserved-descriptors); raise its open-files limit",
                                listener.name(), refusedForDescriptors);
                lastRefusalLoggedAt = now;
                refusedForDescriptors = 0;
            }
        }
        byte[] goodbye = listener.acceptGate().goodbye(reason);
        try (socket) {
            if (goodbye != null) {
                socket.getOutputStream().write(goodbye);
                InputStream in = socket.getInputStream();
                in.skip(in.available());
                socket.shutdownOutput();
            }
        }
        catch (IOException gone) {
            // the client left already
        }
    }

    private Socket acceptRetrying() throws IOException {
        BackOffExecution backOff = null;
        while (true) {
            try {
                return channel.accept().socket();
            }
            catch (SocketTimeoutException timeout) {
                throw timeout;
            }
            catch (IOException ex) {
                if (isClosed()) {
                    // the listener is stopping: what a closed ServerSocket says (the channel says
                    // AsynchronousCloseException, which Spring Integration's accept loop takes for a failure)
                    throw new SocketException("Socket is closed", ex);
                }
                failed(ex);
                if (backOff == null) {
                    backOff = BACKOFF.start();
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backOff.nextBackOff()));
            }
        }
    }

    @Override
    public void bind(SocketAddress endpoint, int backlog) throws IOException {
        channel.bind(endpoint, backlog);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }

    @Override
    public boolean isBound() {
        return channel.socket().isBound();
    }

    @Override
    public int getLocalPort() {
        return channel.socket().getLocalPort();
    }

    @Override
    public @Nullable InetAddress getInetAddress() {
        return channel.socket().getInetAddress();
    }

    @Override
    public @Nullable SocketAddress getLocalSocketAddress() {
        return channel.socket().getLocalSocketAddress();
    }

    /** Called by the accept loop's one thread only. */
    private void failed(IOException ex) {
        listener.stats().acceptFailed();
        unlogged++;
        long now = System.nanoTime();
        if (now - lastLoggedAt >= LOG_EVERY_NANOS) {
            log.atWarn().addKeyValue("listener", listener.name()).addKeyValue("acceptErrors", unlogged)
                    .log("Listener {} could not accept a connection ({} time(s) since the last report): {}; open"
                            + " connections are kept, retrying", listener.name(), unlogged, ex.toString());
            lastLoggedAt = now;
            unlogged = 0;
        }
    }
}
