package io.tcpgateway.connection;

import io.tcpgateway.auth.CertificatePrincipal;
import io.tcpgateway.auth.PrincipalRules;
import io.tcpgateway.config.Auth;
import io.tcpgateway.config.ProxyProtocol;
import io.tcpgateway.framing.FrameTimeoutException;
import io.tcpgateway.framing.FrameTooLargeException;
import io.tcpgateway.framing.InvalidFrameException;
import io.tcpgateway.framing.PartialFrames;
import io.tcpgateway.framing.ReadBuffer;
import io.tcpgateway.logging.LogText;
import io.tcpgateway.proxy.InvalidProxyHeaderException;
import io.tcpgateway.proxy.ProxyHeader;
import io.tcpgateway.proxy.ProxyHeaderReader;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.ip.tcp.connection.TcpListener;
import org.springframework.integration.ip.tcp.connection.TcpNetConnection;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;
import org.springframework.messaging.Message;

/**
 * Spring Integration's blocking connection (one reader, a virtual thread, per connection, so frames
 * from one peer are handled in order) with these changes:
 * <ul>
 * <li>{@link #send} queues the frame on the peer's bounded outbound queue instead of writing the
 * socket, so no flow thread ever blocks on a slow peer;</li>
 * <li>reads go through a {@link ReadBuffer}, which holds 64 bytes while the peer is quiet;</li>
 * <li>what it holds beyond a small allowance while frames arrive in pieces comes from the gateway's
 * {@link InboundBudget} ({@link PartialFrames}), and a frame begun must go on arriving within the frame
 * timeout;</li>
 * <li>its read loop waits for the next frame at the top of the stack ({@link #run});</li>
 * <li>read failures become close reasons, framing errors get their error frame before the close, and
 * after a framing error the input is still read and discarded, so no reset destroys that frame;</li>
 * <li>the end of the client's input is not the end of the conversation: what it sent before gets its
 * answers, then the connection closes ({@link Peer#inputEnded}).</li>
 * </ul>
 */
public final class GatewayConnection extends TcpNetConnection implements PartialFrames {

    private static final Logger log = LoggerFactory.getLogger(GatewayConnection.class);

    private static final byte[] INVALID_FRAME = "ERROR invalid frame".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] NOTHING = new byte[0];

    private static final VarHandle SOCKET_COUNTED;

    static {
        try {
            SOCKET_COUNTED = MethodHandles.lookup().findVarHandle(GatewayConnection.class, "socketCounted", boolean.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** The socket this connection reads and writes: the accepted one, or TLS over it. */
    private volatile Socket socket;
    /** TLS (or nothing) still to be put over the socket once the PROXY header is read; null: done. */
    private @Nullable SocketLayer afterProxyHeader;
    /** Bytes read while looking for a PROXY header that were the client's own data (plain listeners). */
    private byte[] replay = NOTHING;
    private final Peer peer;
    private final Burst burst;
    private @Nullable ReadBuffer readBuffer;
    private long bytesCounted;
    private boolean discardInput;
    /** The client ended its input between frames (or in the middle of one, which is dropped). */
    private boolean endOfInput;
    /** Bytes this connection's reader holds from the inbound budget; its reader thread alone changes it. */
    private int heldBytes;
    /** The reader while it waits for memory, so that a close wakes it. */
    private volatile @Nullable Thread waitingForMemory;
    /** Set by the first close: the socket leaves the {@link DescriptorReserve}'s count once. */
    private volatile boolean socketCounted = true;

    /**
     * @param afterProxyHeader for a listener with a PROXY header: the layer (TLS or none) to put over the
     *     socket once the header is read; null when the socket is ready as it is
     */
    GatewayConnection(Socket socket, GatewayListener listener, @Nullable SocketLayer afterProxyHeader,
            @Nullable ApplicationEventPublisher publisher, @Nullable String factoryName) {
        super(socket, true, false, publisher, factoryName);
        this.socket = socket;
        this.afterProxyHeader = afterProxyHeader;
        this.peer = new Peer(ConnectionIds.nextSequence(), listener, this, getHostAddress(), // SI's string, not a copy
                socket.getPort());
        this.burst = new Burst(peer);
        listener.descriptors().socketOpened();
        setNoReadErrorOnClose(true); // the registry logs every close with its reason; no stack traces per peer
    }

    public Peer peer() {
        return peer;
    }

    @Override
    protected InputStream inputStream() throws IOException {
        ReadBuffer buffer = readBuffer;
        if (buffer == null) {
            InputStream in = socket.getInputStream();
            if (replay.length > 0) {
                in = new SequenceInputStream(new ByteArrayInputStream(replay), in);
                replay = NOTHING;
            }
            buffer = new ReadBuffer(in, burst, this);
            readBuffer = buffer;
        }
        return buffer;
    }

    /** Bytes read from the socket since the last call: the wire size of the frame just read. */
    public int takeBytesRead() {
        ReadBuffer buffer = readBuffer;
        if (buffer == null) {
            return 0;
        }
        long total = buffer.bytesRead();
        int delta = (int) (total - bytesCounted);
        bytesCounted = total;
        return delta;
    }

    Burst burst() {
        return burst;
    }

    /**
     * The reader loop, Spring Integration's own (open event, map, hand to the listener, read failures
     * through {@link #handleReadException}) with one change: between frames the thread waits for bytes
     * right here rather than deep inside the decode path. A quiet connection is a parked virtual thread,
     * and its parked stack, copied to the heap, is the largest thing it holds: about 2.5 KB waiting at
     * the bottom of SI's mapper and our codec, a good deal less waiting here. Whatever the last burst
     * queued is started before the thread ends.
     */
    @Override
    public void run() {
        SocketLayer layer = afterProxyHeader;
        if (layer != null) {
            afterProxyHeader = null;
            if (!takeProxyHeader(layer)) {
                return;
            }
        }
        if (peer.listener().properties().auth() == Auth.CLIENT_CERT && !authenticateClientCertificate()) {
            return;
        }
        publishConnectionOpenEvent();
        InboundPacer pacer = InboundPacer.of(peer.listener());
        try {
            while (awaitBytes() && receiveAndHandle()) {
                if (pacer != null) {
                    pacer.afterFrame(burst, peer.listener().stats());
                }
            }
        }
        finally {
            burst.flush();
            releaseMemory();
        }
        if (endOfInput) {
            peer.inputEnded();
        }
        if (discardInput) {
            discardUntilClosed();
        }
    }

    /** The reader is done: what it held from the inbound budget goes back (codecs give back their frames'). */
    private void releaseMemory() {
        ReadBuffer buffer = readBuffer;
        if (buffer != null) {
            buffer.release();
        }
        if (heldBytes > 0) {
            release(heldBytes);
        }
    }

    @Override
    public boolean tryHold(int bytes) {
        if (peer.listener().inboundBudget().tryHold(bytes)) {
            heldBytes += bytes;
            return true;
        }
        return false;
    }

    @Override
    public void hold(int bytes) throws IOException {
        waitingForMemory = Thread.currentThread();
        try {
            peer.listener().inboundBudget().hold(bytes, heldBytes, peer::isClosing);
        }
        finally {
            waitingForMemory = null;
        }
        heldBytes += bytes;
    }

    @Override
    public void release(int bytes) {
        heldBytes -= bytes;
        peer.listener().inboundBudget().release(bytes);
    }

    /** The rest of a frame must come within the frame timeout: the socket's reads are bounded by it meanwhile. */
    @Override
    public void awaitingRestOfFrame(boolean awaiting) throws IOException {
        socket.setSoTimeout(awaiting ? (int) Math.max(1, peer.listener().inboundBudget().frameTimeoutNanos() / 1_000_000) : 0);
    }

    /**
     * Reads the PROXY header before anything else (TLS included) and takes the client it names as the
     * peer's address; then puts the listener's layer over the socket. Nothing is written to the
     * connection before this has succeeded. False when the connection was closed instead: the header
     * was invalid, truncated, too slow, missing where required, or came from an untrusted address
     * (reason {@code proxy-header-invalid}), or the client left before sending anything.
     */
    private boolean takeProxyHeader(SocketLayer layer) {
        GatewayListener listener = peer.listener();
        boolean required = listener.proxyProtocol() == ProxyProtocol.REQUIRED;
        DeadlineInputStream in = null;
        try {
            in = new DeadlineInputStream(socket, listener.properties().proxyHeaderTimeout());
            ProxyHeader header = readProxyHeader(in, required);
            byte[] firstBytes = NOTHING;
            switch (header) {
                case ProxyHeader.Client client -> {
                    trusted(listener);
                    peer.relayedFor(client.address());
                }
                case ProxyHeader.Local local -> trusted(listener);
                case ProxyHeader.Absent absent -> {
                    if (required) {
                        throw new InvalidProxyHeaderException("no PROXY header");
                    }
                    firstBytes = absent.firstBytes();
                }
            }
            in.done();
            if (layer.isTls()) {
                socket = layer.over(socket, firstBytes);
            }
            else {
                replay = firstBytes;
            }
            return true;
        }
        catch (EOFException left) {
            // Gone before a header could be read; in optional mode one that sent nothing just left.
            peer.close((required || (in != null && in.bytesRead() > 0)) ? CloseReason.PROXY_HEADER_INVALID : CloseReason.PEER);
            return false;
        }
        catch (IOException | RuntimeException invalid) {
            log.debug("PROXY header refused from {}: {}", peer.remoteAddress(), LogText.escape(String.valueOf(invalid.getMessage())));
            peer.close(CloseReason.PROXY_HEADER_INVALID);
            return false;
        }
    }

    /**
     * {@code auth: client-cert}: the TLS handshake runs here, within {@code gateway.auth.timeout}, before
     * the connection becomes a peer; the principal is the CN of the certificate it presented. A handshake
     * without a certificate the bundle trusts (or too slow) closes the connection: reason
     * {@code auth-failed} (or {@code auth-timeout}), counted and logged, no goodbye (there is no TLS to
     * carry one).
     */
    private boolean authenticateClientCertificate() {
        GatewayListener listener = peer.listener();
        try {
            SSLSocket tls = (SSLSocket) socket;
            int before = tls.getSoTimeout();
            tls.setSoTimeout((int) Math.max(1, listener.authTimeout().toMillis()));
            tls.startHandshake();
            tls.setSoTimeout(before);
            String principal = CertificatePrincipal.of((X509Certificate) tls.getSession().getPeerCertificates()[0]);
            String problem = PrincipalRules.problemWith(principal);
            if (problem != null) {
                listener.authenticationFailed(peer, CloseReason.AUTH_FAILED, "client certificate with " + problem, true);
                return false;
            }
            peer.authenticatedAs(principal);
            return true;
        }
        catch (SocketTimeoutException slow) {
            listener.authenticationFailed(peer, CloseReason.AUTH_TIMEOUT, "no TLS handshake within the auth timeout", true);
        }
        catch (IOException | RuntimeException refused) {
            listener.authenticationFailed(peer, CloseReason.AUTH_FAILED, "TLS handshake without a trusted client "
                    + "certificate: " + refused.getMessage(), true);
        }
        return false;
    }

    /** A timeout with nothing read means no header in optional mode; anything else is what the reader says. */
    private static ProxyHeader readProxyHeader(DeadlineInputStream in, boolean required) throws IOException {
        try {
            return ProxyHeaderReader.read(in);
        }
        catch (SocketTimeoutException slow) {
            if (required || in.bytesRead() > 0) {
                throw new InvalidProxyHeaderException("no complete PROXY header within the proxy-header-timeout");
            }
            return new ProxyHeader.Absent(NOTHING);
        }
    }

    private void trusted(GatewayListener listener) throws InvalidProxyHeaderException {
        if (!listener.trustsProxy(socket.getInetAddress())) {
            throw new InvalidProxyHeaderException("a PROXY header from " + socket.getInetAddress().getHostAddress()
                    + ", which is not in trusted-proxies");
        }
    }

    /**
     * After a framing error the stream cannot be parsed any more, but it is still read (and thrown
     * away) until the connection closes, so the kernel never answers unread bytes with a reset that
     * would destroy the error frame on its way to the client.
     */
    private void discardUntilClosed() {
        try {
            socket.setSoTimeout(0); // the close deadline ends this
            InputStream in = socket.getInputStream();
            byte[] sink = new byte[512];
            int n;
            while ((n = in.read(sink)) >= 0) {
                peer.recordUnframedRead(n);
            }
        }
        catch (IOException closed) {
            return; // closed at the close deadline
        }
        if (peer.pendingBytes() == 0) {
            close(); // the client closed its end and the error frame is out
        }
        // otherwise the error frame is still being written: the close deadline ends the connection
    }

    /**
     * Sends the end of the stream after what is written; the socket closes when the client closes its
     * end (the reader sees the end of the stream) or at the close deadline already set.
     */
    void halfClose() {
        try {
            socket.shutdownOutput();
        }
        catch (IOException | UnsupportedOperationException alreadyClosed) {
            close();
        }
    }

    /** False once the connection is done: the wait for bytes failed and the failure closed it. */
    private boolean awaitBytes() {
        try {
            ((ReadBuffer) inputStream()).awaitBytes();
            return true;
        }
        catch (IOException | RuntimeException ex) {
            return !readFailed(ex);
        }
    }

    private boolean receiveAndHandle() {
        Message<?> message;
        try {
            message = getMapper().toMessage(this);
        }
        catch (Exception ex) {
            return !readFailed(ex);
        }
        TcpListener listener = getListener();
        if (message != null && listener != null) {
            try {
                listener.onMessage(message);
            }
            catch (RuntimeException ex) { // the flow failed for this frame; the connection reads on
                log.error("Frame from {} failed in the flow", peer.id(), ex);
            }
        }
        return true;
    }

    private boolean readFailed(Exception ex) {
        publishConnectionExceptionEvent(ex);
        return handleReadException(ex);
    }

    OutputStream socketOutputStream() throws IOException {
        return socket.getOutputStream();
    }

    /**
     * What the outbound adapter calls: the frame is only queued, so no socket write ever happens on the
     * caller's thread. A message that came from a peer (it carries {@link Peer#HEADER}: an echo) is
     * queued in that peer's read burst, so its writer starts when the burst has been handled. A frame
     * refused because the peer is closing is dropped quietly, as with every other send.
     */
    @Override
    public void send(Message<?> message) {
        Object payload = message.getPayload();
        byte[] bytes = (payload instanceof byte[] raw) ? raw : payload.toString().getBytes(StandardCharsets.UTF_8);
        if (message.getHeaders().get(Peer.HEADER) instanceof Peer sender) {
            peer.sendPayload(bytes, sender);
        }
        else {
            peer.sendPayload(bytes);
        }
    }

    @Override
    protected boolean handleReadException(Exception exception) {
        Exception cause = (exception instanceof UncheckedIOException unchecked)
                ? Objects.requireNonNullElse(unchecked.getCause(), exception) : exception;
        if (cause instanceof FrameTooLargeException) {
            peer.recordUnframedRead(takeBytesRead());
            discardInput = true;
            peer.closeSaying(CloseReason.FRAME_TOO_LARGE);
            return true; // stop parsing; the writer closes once the error frame is out
        }
        if (cause instanceof FrameTimeoutException) {
            peer.recordUnframedRead(takeBytesRead());
            discardInput = true;
            peer.closeSaying(CloseReason.FRAME_TIMEOUT);
            return true;
        }
        if (cause instanceof InvalidFrameException) {
            peer.recordUnframedRead(takeBytesRead());
            discardInput = true;
            peer.closeAfter(INVALID_FRAME, CloseReason.ERROR, peer.listener().errorLinger());
            return true;
        }
        if (cause instanceof SoftEndOfStreamException || cause instanceof EOFException) {
            endOfInput = true; // answered once the reader has started the writes of its last burst (run)
            return true;
        }
        peer.markClosed(CloseReason.ofIoFailure(cause));
        return super.handleReadException(exception);
    }

    @Override
    public void close() {
        peer.markClosed(CloseReason.ERROR);
        super.close();
        if (socketCounted && SOCKET_COUNTED.compareAndSet(this, true, false)) {
            peer.listener().descriptors().socketClosed();
        }
        Thread waiting = waitingForMemory;
        if (waiting != null) {
            LockSupport.unpark(waiting); // it sees the close and gives up its wait
        }
    }
}
