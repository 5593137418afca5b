package io.tcpgateway.connection;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.TaskScheduler;

/**
 * One client connection as the rest of the gateway sees it: identity, times, counters and its
 * outbound queue. Counters are plain fields updated where the bytes move (reads by the connection's
 * reader thread, writes by its single active writer), so reading them never costs the data path.
 */
public final class Peer {

    /** The message header that carries the peer a frame came from (so nothing looks it up by id). */
    public static final String HEADER = "gateway_peer";

    private static final VarHandle CLOSE_REASON;
    private static final VarHandle SOCKET_CLOSED;

    static {
        try {
            CLOSE_REASON = MethodHandles.lookup().findVarHandle(Peer.class, "closeReason", CloseReason.class);
            SOCKET_CLOSED = MethodHandles.lookup().findVarHandle(Peer.class, "socketClosed", boolean.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long sequence;
    private final String id;
    private final GatewayListener listener;
    private final GatewayConnection connection;
    // Set once, by the reader before the peer is published (admitted): the PROXY header may change them.
    private String remoteAddress;
    private int remotePort;
    private @Nullable String proxyAddress;
    /** Who the client proved to be (CONTRACT section 11); null until then, and on listeners without auth. */
    private volatile @Nullable String principal;
    private final long connectedAt;
    private final OutboundQueue outbound;
    // Set once, by compare-and-set through CLOSE_REASON (a field, not an AtomicReference object per peer).
    private volatile @Nullable CloseReason closeReason;

    private volatile boolean admitted;
    /** The client ended its input: the reader has stopped, and the socket closes once the answers are out. */
    private volatile boolean inputEnded;
    private volatile long lastReadAt;
    private volatile long lastWriteAt;
    private volatile long lastPingAt;
    private volatile long framesIn;
    private volatile long bytesIn;
    private volatile long framesOut;
    private volatile long bytesOut;
    /** When it stopped being open (the close was decided), epoch millis; 0 while open. */
    private volatile long closedAt;
    private volatile boolean socketClosed;

    Peer(long sequence, GatewayListener listener, GatewayConnection connection, String remoteAddress, int remotePort) {
        this.sequence = sequence;
        this.id = ConnectionIds.id(sequence) + listener.connectionIdSuffix();
        this.listener = listener;
        this.connection = connection;
        this.remoteAddress = remoteAddress;
        this.remotePort = remotePort;
        this.connectedAt = System.currentTimeMillis();
        this.lastReadAt = connectedAt;
        this.lastWriteAt = connectedAt;
        this.outbound = new OutboundQueue(this, listener.maxPendingBytes(), listener.executors().writers());
        listener.descriptors().socketOpened();
    }

    /** Queues an already encoded frame (shared by every receiver of a broadcast); never blocks. */
    public boolean send(byte[] wireFrame) {
        return outbound.offer(wireFrame, null);
    }

    /**
     * As {@link #send(byte[])}, from the flow that is handling a frame of {@code sender}, on its reader
     * thread: this peer's writer starts when the sender's current read burst has been handled.
     */
    public boolean send(byte[] wireFrame, Peer sender) {
        return outbound.offer(wireFrame, sender.connection.burst());
    }

    /** Encodes a payload with the listener's framing and queues it; never blocks. */
    public boolean sendPayload(byte[] payload) {
        return send(listener.codec().encode(payload));
    }

    /** As {@link #sendPayload(byte[])}, in the read burst of {@code sender} (see {@link #send(byte[], Peer)}). */
    public boolean sendPayload(byte[] payload, Peer sender) {
        return send(listener.codec().encode(payload), sender);
    }

    /**
     * Closes the connection for a reason of the gateway's own, first sending the reason's goodbye
     * ({@code ERROR kicked}, ...) where it has one; the first reason given is the one reported.
     */
    public void closeSaying(CloseReason reason) {
        byte[] goodbye = reason.goodbye();
        if (goodbye == null) {
            close(reason);
        }
        else {
            closeAfter(goodbye, reason, listener.errorLinger());
        }
    }

    /** Closes the connection now, with no goodbye; the first reason given is the one reported. */
    public void close(CloseReason reason) {
        decideClose(reason);
        connection.close();
    }

    /**
     * The one moment a connection stops being open (CONTRACT section 6): the first reason given wins, and
     * the peer leaves its listener's open peers, the gauge and every count of open connections at once, and
     * is logged and remembered as closed, even while its goodbye or its last answers are still being written.
     * False when a reason was given before.
     */
    private boolean decideClose(CloseReason reason) {
        if (!CLOSE_REASON.compareAndSet(this, null, reason)) {
            return false;
        }
        closedAt = System.currentTimeMillis();
        listener.retire(this);
        return true;
    }

    /**
     * Sends a last frame, then closes. A peer that does not read it within {@code linger} is closed anyway,
     * so a stuck peer never holds a close up for longer.
     */
    public void closeAfter(byte[] payload, CloseReason reason, Duration linger) {
        if (decideClose(reason)) {
            closeOnceWritten(listener.codec().encode(payload), linger);
        }
    }

    /**
     * The client ended its input (it half-closed, or closed): the end of its input is not the end of the
     * conversation. What it sent before gets its answers (echoes, {@code PONG}, {@code OK}: already queued,
     * in order), then the connection closes (reason {@code peer}), at the latest after the usual close
     * deadline. Netty's {@code ALLOW_HALF_CLOSURE}, HAProxy and NATS answer what was read the same way. A
     * connection already closing for a reason of the gateway's own keeps that reason and its goodbye.
     */
    void inputEnded() {
        inputEnded = true;
        if (decideClose(CloseReason.PEER)) {
            closeOnceWritten(new byte[0], listener.errorLinger()); // an empty last frame: nothing more is said
        }
        else if (pendingBytes() == 0) {
            connection.close();
        }
    }

    /** Queues a last frame; the connection closes once it is written, or after {@code linger} whatever happens. */
    private void closeOnceWritten(byte[] lastFrame, Duration linger) {
        outbound.offerLast(lastFrame);
        TaskScheduler scheduler = listener.executors().scheduler();
        scheduler.schedule(connection::close, scheduler.getClock().instant().plus(linger));
    }

    /**
     * The goodbye is written: half-close, so the client reads it and then the end of the stream; the
     * socket closes for good when the client closes its end, or at the deadline {@link #closeAfter} set.
     * Closing at once would make the kernel answer a frame the client sent meanwhile (a PONG, say) with
     * a reset, and a reset makes the client's side throw away what it had not read yet: the goodbye.
     * A peer closed for silence has sent nothing for a whole timeout and is most likely gone: it is
     * closed at once, so it leaves the registry within the heartbeat's bound; so is one whose client has
     * ended its input already (nothing more can come that a reset would answer).
     */
    void goodbyeWritten() {
        if (closeReason == CloseReason.HEARTBEAT_TIMEOUT || inputEnded) {
            connection.close();
        }
        else {
            connection.halfClose();
        }
    }

    void writeFailed(Exception failure) {
        close(CloseReason.ofIoFailure(failure));
    }

    /** Called by the connection when its socket has closed for whatever cause (maybe more than once). */
    void markClosed(CloseReason fallback) {
        decideClose(fallback);
        if (!socketClosed && SOCKET_CLOSED.compareAndSet(this, false, true)) {
            listener.descriptors().socketClosed(); // the socket leaves the descriptor reserve's count once
        }
        outbound.discard();
    }

    /** What is remembered of a closed connection: plain values, none of its buffers or sockets. */
    ClosedPeer toClosed() {
        return new ClosedPeer(id, sequence, listener.name(), remoteAddress, remotePort, proxyAddress, principal, connectedAt(),
                Instant.ofEpochMilli(lastReadAt), Instant.ofEpochMilli(lastWriteAt), framesIn, framesOut, bytesIn,
                bytesOut, Objects.requireNonNullElseGet(closedAt(), Instant::now),
                Objects.requireNonNullElse(closeReason(), CloseReason.ERROR));
    }

    /** Called by the message mapper for every frame read: the sign of life the heartbeat looks at. */
    public void recordRead(int bytes) {
        lastReadAt = System.currentTimeMillis();
        framesIn++;
        bytesIn += bytes;
        listener.stats().frameRead(bytes);
    }

    /** Bytes read that made no frame (a frame too large, broken framing): counted, but no sign of life. */
    void recordUnframedRead(int bytes) {
        bytesIn += bytes;
        listener.stats().bytesRead(bytes);
    }

    /** The heartbeat sent this peer its ping at {@code now}. */
    public void pinged(long now) {
        lastPingAt = now;
    }

    public long lastPingAtMillis() {
        return lastPingAt;
    }

    void recordWrite(int bytes, int frames) {
        lastWriteAt = System.currentTimeMillis();
        framesOut += frames;
        bytesOut += bytes;
        listener.stats().framesWritten(frames, bytes);
    }

    void admit() {
        admitted = true;
    }

    /** Whether frames read from it are delivered: admitted under max-connections and not closing. */
    public boolean acceptsInput() {
        return admitted && !isClosing();
    }

    /**
     * Closing: a reason has been given (by the gateway, or by the client ending its input). The peer is no
     * longer open for anyone who asks, though its socket may still be writing a goodbye or last answers.
     */
    public boolean isClosing() {
        return closeReason != null;
    }

    /** Its socket is closed. */
    public boolean isClosed() {
        return socketClosed;
    }

    GatewayConnection connection() {
        return connection;
    }

    OutboundQueue outboundQueue() {
        return outbound;
    }

    /** Spring Integration's id of the connection, as in the {@code ip_connectionId} header. */
    public String connectionId() {
        return connection.getConnectionId();
    }

    public String id() {
        return id;
    }

    /** Order of arrival: a larger sequence connected later. */
    public long sequence() {
        return sequence;
    }

    public GatewayListener listener() {
        return listener;
    }

    /**
     * The connection is {@code client}'s, relayed by a load balancer (a PROXY header said so): the
     * client's address becomes the peer's everywhere, the socket's is kept as {@link #proxyAddress}.
     * Called by the reader before the peer is published.
     */
    void relayedFor(InetSocketAddress client) {
        proxyAddress = remoteAddress;
        remoteAddress = client.getAddress().getHostAddress();
        remotePort = client.getPort();
    }

    /** Who the client proved to be: a token's name, a JWT's subject, a certificate's CN; null when none. */
    public @Nullable String principal() {
        return principal;
    }

    /** Authentication succeeded: from now on the peer is an ordinary one (it receives broadcasts). */
    public void authenticatedAs(String principal) {
        this.principal = principal;
    }

    /**
     * Whether the peer still has to authenticate ({@code auth: token} and no {@code OK} yet); such a peer
     * receives no broadcast. Client-cert peers are authenticated before they become peers.
     */
    public boolean awaitsAuthentication() {
        return principal == null && listener.requiresToken();
    }

    /** The load balancer's address when a PROXY header named the client; null otherwise. */
    public @Nullable String proxyAddress() {
        return proxyAddress;
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    public int remotePort() {
        return remotePort;
    }

    /**
     * {@link #remoteAddress()} as an address, for bans; null in the odd case it does not parse (an IPv6
     * scope the literal parser refuses), which a ban then never matches. Parsed when asked, not kept:
     * an idle connection holds as little as it can.
     */
    public @Nullable InetAddress clientAddress() {
        try {
            return InetAddress.ofLiteral(remoteAddress);
        }
        catch (IllegalArgumentException unparsable) {
            return null;
        }
    }

    public Instant connectedAt() {
        return Instant.ofEpochMilli(connectedAt);
    }

    public long lastReadAtMillis() {
        return lastReadAt;
    }

    public long lastWriteAtMillis() {
        return lastWriteAt;
    }

    public long framesIn() {
        return framesIn;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long framesOut() {
        return framesOut;
    }

    public long bytesOut() {
        return bytesOut;
    }

    public long pendingBytes() {
        return outbound.pendingBytes();
    }

    public @Nullable CloseReason closeReason() {
        return closeReason;
    }

    public @Nullable Instant closedAt() {
        return closedAt == 0 ? null : Instant.ofEpochMilli(closedAt);
    }

    @Override
    public String toString() {
        return id + "@" + listener.name() + "(" + remoteAddress + ":" + remotePort + ")";
    }
}
