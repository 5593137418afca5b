package io.tcpgateway.connection;

import io.tcpgateway.framing.FrameTimeoutException;
import io.tcpgateway.framing.FrameTooLargeException;
import io.tcpgateway.framing.InvalidFrameException;
import io.tcpgateway.framing.ReadBuffer;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
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
 * {@link InboundBudget} ({@link PartialFrameAccount}), and a frame begun must go on arriving within the
 * frame timeout;</li>
 * <li>what runs before the conversation (PROXY header, TLS layer, client certificate) is the
 * {@link ConnectionPreamble}'s;</li>
 * <li>its read loop waits for the next frame at the top of the stack ({@link #run});</li>
 * <li>read failures become close reasons, framing errors get their error frame before the close, and
 * after a framing error the input is still read and discarded, so no reset destroys that frame;</li>
 * <li>the end of the client's input is not the end of the conversation: what it sent before gets its
 * answers, then the connection closes ({@link Peer#inputEnded}).</li>
 * </ul>
 */
public final class GatewayConnection extends TcpNetConnection {

    private static final Logger log = LoggerFactory.getLogger(GatewayConnection.class);


    private static final byte[] NOTHING = new byte[0];

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
    /** What the reader holds from the inbound budget; made with the read buffer. */
    private @Nullable PartialFrameAccount memory;

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
            PartialFrameAccount account = new PartialFrameAccount(peer, socket);
            buffer = new ReadBuffer(in, burst, account);
            memory = account;
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
        ConnectionPreamble.Conversation conversation = ConnectionPreamble.run(socket, peer, afterProxyHeader);
        afterProxyHeader = null;
        if (conversation == null) {
            return; // closed by the preamble, with its reason
        }
        socket = conversation.socket();
        replay = conversation.firstBytes();
        publishConnectionOpenEvent();
        InboundThrottle throttle = InboundThrottle.of(peer.listener());
        try {
            while (awaitBytes() && receiveAndHandle()) {
                if (throttle != null) {
                    throttle.afterFrame(burst, peer.listener().stats());
                }
            }
        }
        finally {
            burst.flush();
            ReadBuffer buffer = readBuffer;
            PartialFrameAccount account = memory;
            if (buffer != null && account != null) {
                buffer.release();
                account.releaseAll();
            }
        }
        if (endOfInput) {
            peer.inputEnded();
        }
        if (discardInput) {
            discardUntilClosed();
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
            peer.closeAfter(ClosePolicy.INVALID_FRAME, CloseReason.ERROR, ClosePolicy.LINGER);
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
        PartialFrameAccount account = memory;
        if (account != null) {
            account.closed(); // a reader waiting for memory sees the close and gives up its wait
        }
    }
}
