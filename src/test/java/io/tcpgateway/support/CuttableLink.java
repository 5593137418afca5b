package io.tcpgateway.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on loopback between one gateway and its Redis, which a test can cut (every connection through
 * it reset, new ones refused at once) and mend: one pod cut off from Redis while the others are not.
 */
public final class CuttableLink implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean cut;

    private CuttableLink(ServerSocket server, int targetPort) {
        this.server = server;
        this.targetPort = targetPort;
        Thread.ofPlatform().daemon().name("cuttable-link-" + server.getLocalPort()).start(this::accept);
    }

    public static CuttableLink to(int targetPort) {
        try {
            return new CuttableLink(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetPort);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Resets every connection through the link and refuses new ones until {@link #mend}. */
    public void cut() {
        cut = true;
        for (Socket socket : open) {
            reset(socket);
        }
        open.clear();
    }

    public void mend() {
        cut = false;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut) {
                    reset(client);
                    continue;
                }
                Socket redis = new Socket();
                redis.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2000);
                open.add(client);
                open.add(redis);
                pump(client, redis);
                pump(redis, client);
            }
            catch (IOException closedOrRefused) {
                // the link is closed, or Redis refused: the client sees its connection end
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                }
            }
            catch (IOException ended) {
                // cut, or one side closed
            }
            finally {
                reset(from);
                reset(to);
                open.remove(from);
                open.remove(to);
            }
        });
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        }
        catch (IOException alreadyClosed) {
            // nothing more to do
        }
    }

    @Override
    public void close() {
        cut();
        try {
            server.close();
        }
        catch (IOException ignored) {
            // closing anyway
        }
    }
}
