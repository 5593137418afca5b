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
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
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
    private @Nullable InboundThrottle throttle;
    /** How the reader gives its thread back while the client is quiet; null: it keeps it (TLS, or switched off). */
    private final @Nullable ChannelParking parking;

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
        this.parking = parkingFor(socket, listener, afterProxyHeader);
        setNoReadErrorOnClose(true); // the registry logs every close with its reason; no stack traces per peer
    }

    /**
     * A plain socket's channel can wait in a selector; TLS cannot (its records are read through the TLS
     * engine's own blocking stream), so a TLS connection keeps its reader.
     */
    private @Nullable ChannelParking parkingFor(Socket socket, GatewayListener listener,
            @Nullable SocketLayer afterProxyHeader) {
        boolean tls = (afterProxyHeader != null) ? afterProxyHeader.isTls() : socket instanceof SSLSocket;
        SocketChannel channel = socket.getChannel();
        ConnectionExecutors executors = listener.executors();
        if (tls || channel == null || executors.releaseReaderAfterMillis() == 0) {
            return null;
        }
        try {
            return new ChannelParking(channel, executors.parkedReaders(), executors.releaseReaderAfterMillis(),
                    this::resumeReading);
        }
        catch (IOException noSelector) {
            log.warn("No selector for quiet connections ({}); readers keep their threads", noSelector.toString());
            return null;
        }
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
            ChannelParking quiet = parking;
            PartialFrameAccount account = new PartialFrameAccount(peer, socket,
                    (quiet != null) ? quiet::betweenFramesMillis : () -> 0);
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
     * through {@link #handleReadException}) with two changes. Between frames the thread waits for bytes
     * right here rather than deep inside the decode path: a parked virtual thread's stack, copied to the
     * heap, is the largest thing a quiet connection holds (about 2.5 KB waiting at the bottom of SI's
     * mapper and our codec, a good deal less here). And without TLS, a connection quiet for
     * {@code release-reader-after} gives even that back: the reader parks the channel in the gateway's
     * selector and ends, and a new reader goes on when bytes come ({@link #resumeReading}). Whatever the
     * last burst queued is started before the thread ends.
     */
    @Override
    public void run() {
        ConnectionPreamble.Conversation conversation = ConnectionPreamble.run(socket, peer, afterProxyHeader);
        afterProxyHeader = null;
        if (conversation == null) {
            return; // closed by the preamble, with its reason
        }
        if (conversation.healthCheck()) {
            BalancerHealthCheck.answer(conversation.socket(), peer); // never a peer: no open event
            return;
        }
        socket = conversation.socket();
        replay = conversation.firstBytes();
        throttle = InboundThrottle.of(peer.listener());
        publishConnectionOpenEvent();
        readFrames();
    }

    /** Whether the reader has given its thread back and the channel waits in the selector. */
    boolean readerParked() {
        return parking != null && parking.isParked();
    }

    /** What a new reader thread runs when a parked connection has bytes again, or a writer needs it. */
    private void resumeReading() {
        try {
            Objects.requireNonNull(parking).blockingAgain();
        }
        catch (IOException closed) {
            // the first read fails and ends the connection as any read failure does
        }
        readFrames();
    }

    private void readFrames() {
        boolean parked = false;
        try {
            parked = readUntilDoneOrParked();
        }
        finally {
            if (!parked) {
                burst.flush();
                ReadBuffer buffer = readBuffer;
                PartialFrameAccount account = memory;
                if (buffer != null && account != null) {
                    buffer.release();
                    account.releaseAll();
                }
            }
        }
        if (parked) {
            return;
        }
        if (endOfInput) {
            peer.inputEnded();
        }
        if (discardInput) {
            discardUntilClosed();
        }
    }

    /** Reads and handles frames until the connection is done (false) or its reader parked (true). */
    private boolean readUntilDoneOrParked() {
        while (true) {
            switch (awaitBytes()) {
                case BYTES -> {
                    if (!receiveAndHandle()) {
                        return false;
                    }
                    InboundThrottle limit = throttle;
                    if (limit != null) {
                        limit.afterFrame(burst, peer.listener().stats());
                    }
                }
                case QUIET -> {
                    if (park()) {
                        return true;
                    }
                }
                case DONE -> {
                    return false;
                }
            }
        }
    }

    /**
     * The client has sent nothing for {@code release-reader-after}: everything its last burst queued was
     * started before the read that timed out, so the reader holds nothing but its buffer, which shrinks to
     * its quiet size, and the channel goes to the selector.
     */
    private boolean park() {
        ReadBuffer buffer = readBuffer;
        if (buffer != null) {
            buffer.shrinkWhileQuiet();
        }
        return Objects.requireNonNull(parking).park();
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

    private enum Next { BYTES, QUIET, DONE }

    /**
     * BYTES when a frame can be read; QUIET when the client sent nothing for {@code release-reader-after}
     * (only a connection that can park has that read timeout between frames); DONE once the wait for bytes
     * failed and the failure closed the connection.
     */
    private Next awaitBytes() {
        try {
            ReadBuffer buffer = (ReadBuffer) inputStream();
            ChannelParking quiet = parking;
            if (quiet == null || buffer.hasBuffered()) {
                buffer.awaitBytes();
                return Next.BYTES;
            }
            socket.setSoTimeout(quiet.betweenFramesMillis()); // a field of the socket: no system call
            long started = System.nanoTime();
            buffer.awaitBytes();
            quiet.waited(System.nanoTime() - started);
            return Next.BYTES;
        }
        catch (SocketTimeoutException quiet) {
            if (parking != null) {
                parking.waited(Long.MAX_VALUE);
                return Next.QUIET;
            }
            return readFailed(quiet) ? Next.DONE : Next.BYTES;
        }
        catch (IOException | RuntimeException ex) {
            return readFailed(ex) ? Next.DONE : Next.BYTES;
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

    /** Where the connection's writer writes: the channel itself when its reader can park, else the socket's stream. */
    OutputStream socketOutputStream() throws IOException {
        return (parking != null) ? parking.output() : socket.getOutputStream();
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
        if (parking != null) {
            parking.closed();
        }
    }
}
