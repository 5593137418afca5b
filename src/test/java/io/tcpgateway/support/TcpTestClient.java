package io.tcpgateway.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.SocketFactory;

/**
 * A real TCP client for the tests. Reads block with a socket timeout (a bounded wait, not a sleep),
 * so a frame that never comes fails the test instead of hanging it.
 */
public final class TcpTestClient implements AutoCloseable {

    public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private TcpTestClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static TcpTestClient connect(int port) {
        return connect(SocketFactory.getDefault(), port);
    }

    public static TcpTestClient connect(SocketFactory factory, int port) {
        try {
            Socket socket = factory.createSocket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            return new TcpTestClient(socket);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * A client whose connection comes from {@code localAddress}, one of the 127.0.0.0/8 addresses Linux
     * answers on loopback: a test that needs several client addresses (bans, per-source limits).
     */
    public static TcpTestClient connectFrom(String localAddress, int port) {
        try {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            return new TcpTestClient(socket);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A client over a socket the test set up itself (TLS over a connection that sent a PROXY header first, say). */
    public static TcpTestClient over(Socket socket) {
        try {
            return new TcpTestClient(socket);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Everything the server sends until it closes the connection (fails if it does not within the read timeout). */
    public byte[] readUntilClosed() {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try {
            int next;
            while ((next = in.read()) >= 0) {
                received.write(next);
            }
        }
        catch (SocketException reset) {
            // closed with a reset: closed all the same
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return received.toByteArray();
    }

    /** A client that never reads: a tiny receive buffer so its backlog builds up in the server fast. */
    public static TcpTestClient connectNonReading(int port) {
        return connectWithReceiveBuffer(port, 4096);
    }

    /** A client whose receive buffer (so its TCP window) is fixed at {@code bytes}, set before connecting. */
    public static TcpTestClient connectWithReceiveBuffer(int port, int bytes) {
        try {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(bytes);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            return new TcpTestClient(socket);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public Socket socket() {
        return socket;
    }

    public TcpTestClient sendLine(String line) {
        return sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public TcpTestClient sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public TcpTestClient sendLengthPrefixed(byte[] payload) {
        byte[] frame = new byte[payload.length + 4];
        frame[0] = (byte) (payload.length >>> 24);
        frame[1] = (byte) (payload.length >>> 16);
        frame[2] = (byte) (payload.length >>> 8);
        frame[3] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 4, payload.length);
        return sendRaw(frame);
    }

    /** Reads one LF-terminated line, without the LF; fails on timeout or end of stream. */
    public String readLine() {
        String line = readLineOrNullAtEnd();
        if (line == null) {
            throw new UncheckedIOException(new EOFException("connection closed by the server"));
        }
        return line;
    }

    /** Reads one line, or returns null at the end of the stream (or a reset) before any byte of it. */
    public String readLineOrNullAtEnd() {
        try {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    if (line.size() == 0) {
                        return null;
                    }
                    throw new EOFException("connection closed; partial line: " + line);
                }
                line.write(b);
            }
            return line.toString(StandardCharsets.UTF_8);
        }
        catch (SocketException reset) {
            return null;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A line when one has (started to) arrive, else null at once. */
    public String readLineIfAny() {
        try {
            return in.available() > 0 ? readLine() : null;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public byte[] readLengthPrefixed() {
        try {
            DataInputStream data = new DataInputStream(in);
            byte[] payload = new byte[data.readInt()];
            data.readFully(payload);
            return payload;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public byte[] readExactly(int length) {
        try {
            return new DataInputStream(in).readNBytes(length);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** True once the server has closed the connection: reading gives end of stream (or a reset). */
    public boolean isClosedByServer() {
        try {
            int previous = socket.getSoTimeout();
            socket.setSoTimeout(50);
            try {
                while (true) {
                    if (in.read() < 0) {
                        return true;
                    }
                }
            }
            finally {
                if (!socket.isClosed()) {
                    socket.setSoTimeout(previous);
                }
            }
        }
        catch (SocketTimeoutException stillOpen) {
            return false;
        }
        catch (SocketException reset) {
            return true;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Reads until the server closes; fails if it does not within the read timeout. */
    public void awaitClosedByServer() {
        try {
            while (in.read() >= 0) {
                // discard whatever is still in flight
            }
        }
        catch (SocketException reset) {
            // closed with a reset: closed all the same
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        }
        catch (IOException ignored) {
            // closing a test socket
        }
    }
}
