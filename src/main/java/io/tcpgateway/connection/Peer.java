package io.tcpgateway.connection;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.TaskScheduler;

/**
 * One client connection as the rest of the gateway sees it: identity, its outbound queue, and the state
 * of its close ({@link ClosePolicy} decides how; this carries it out). Its times and counters are
 * {@link PeerActivity}'s.
 */
public final class Peer extends PeerActivity {

    /** The message header that carries the peer a frame came from (so nothing looks it up by id). */
    public static final String HEADER = "gateway_peer";

    private static final VarHandle CLOSE_REASON;
    private static final VarHandle SOCKET_CLOSED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CLOSE_REASON = lookup.findVarHandle(Peer.class, "closeReason", CloseReason.class);
            SOCKET_CLOSED = lookup.findVarHandle(Peer.class, "socketClosed", boolean.class);
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
    private final OutboundQueue outbound;
    // Set once, by compare-and-set through CLOSE_REASON (a field, not an AtomicReference object per peer).
    private volatile @Nullable CloseReason closeReason;

    private volatile boolean admitted;
    private volatile boolean loggedIn; // CONTRACT section 14; unused without auth
    /** The client ended its input: the reader has stopped, and the socket closes once the answers are out. */
    private volatile boolean inputEnded;
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
        this.outbound = new OutboundQueue(this, listener.maxPendingBytes(), listener.executors().writers());
        listener.descriptors().socketOpened();
    }

    /** Queues an already encoded frame (shared by every receiver of a broadcast); never blocks. */
    public boolean sendFramed(byte[] wireFrame) {
        return outbound.offer(wireFrame, null);
    }

    /**
     * As {@link #sendFramed(byte[])}, from the flow that is handling a frame of {@code sender}, on its reader
     * thread: this peer's writer starts when the sender's current read burst has been handled.
     */
    public boolean sendFramed(byte[] wireFrame, Peer sender) {
        return outbound.offer(wireFrame, sender.connection.burst());
    }

    /**
     * Queues several encoded frames, in their order, starting the writer once for them all; never blocks.
     * Returns how many were queued (fewer when the peer closed or went over its backlog on the way).
     */
    public int sendAllFramed(List<byte[]> wireFrames) {
        return outbound.offerAll(wireFrames);
    }

    /**
     * Runs {@code task} on this peer's reader thread once the read burst it is handling now has been handled
     * (before the next socket read, or when the reader ends). Only from that reader thread, while it handles
     * one of this peer's frames: what a flow wants to do once per burst instead of once per frame.
     */
    public void atEndOfReadBurst(Runnable task) {
        connection.burst().atEnd(task);
    }

    /** Encodes a payload with the listener's framing and queues it; never blocks. */
    public boolean sendPayload(byte[] payload) {
        return sendFramed(listener.codec().encode(payload));
    }

    /** As {@link #sendPayload(byte[])}, in the read burst of {@code sender} (see {@link #sendFramed(byte[], Peer)}). */
    public boolean sendPayload(byte[] payload, Peer sender) {
        return sendFramed(listener.codec().encode(payload), sender);
    }

    /**
     * Closes the connection for a reason of the gateway's own, first sending the reason's goodbye
     * ({@code ERROR kicked}, ...) where it has one; the first reason given is the one reported.
     */
    public void closeSaying(CloseReason reason) {
        byte[] goodbye = ClosePolicy.goodbye(this, reason);
        if (goodbye != null) {
            closeAfter(goodbye, reason, ClosePolicy.LINGER);
            return;
        }
        close(reason);
    }

    /** Closes the connection now, with no goodbye; the first reason given is the one reported. */
    public void close(CloseReason reason) {
        decideClose(reason);
        connection.close();
    }

    /**
     * The one moment a connection stops being open (CONTRACT section 6): the first reason wins; the peer
     * leaves the open ones, the gauge and every count at once, and is logged and remembered as closed, even
     * while its goodbye or last answers are still written. False when a reason was given before.
     */
    private boolean decideClose(CloseReason reason) {
        if (!CLOSE_REASON.compareAndSet(this, null, reason)) {
            return false;
        }
        closedAt = System.currentTimeMillis();
        listener.retire(this);
        return true;
    }

    /** Sends a last frame, then closes; a peer that does not read it within {@code linger} is closed anyway. */
    public void closeAfter(byte[] payload, CloseReason reason, Duration linger) {
        if (decideClose(reason)) {
            closeOnceWritten(listener.codec().encode(payload), linger);
        }
    }

    /**
     * The client ended its input: that is not the end of the conversation. What it sent before gets its
     * answers (already queued, in order), then the connection closes (reason {@code peer}), at the latest
     * after {@link ClosePolicy#LINGER}, as Netty's {@code ALLOW_HALF_CLOSURE}, HAProxy and NATS do. One
     * already closing for a reason of the gateway's own keeps it and its goodbye.
     */
    void inputEnded() {
        inputEnded = true;
        if (decideClose(CloseReason.PEER)) {
            closeOnceWritten(new byte[0], ClosePolicy.LINGER); // an empty last frame: nothing more is said
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

    /** Its goodbye (or its last answers) is written: closed at once or half-closed, as {@link ClosePolicy} says. */
    void goodbyeWritten() {
        if (ClosePolicy.closesAtOnceWhenWritten(Objects.requireNonNull(closeReason), inputEnded)) {
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

    @Override
    ListenerStats stats() {
        return listener.stats();
    }

    void admit() {
        admitted = true;
    }

    /** Whether it was ever an open peer (admitted under its listener's limits). */
    boolean wasAdmitted() {
        return admitted;
    }

    /** Whether frames read from it are delivered: admitted under max-connections and not closing. */
    public boolean acceptsInput() {
        return admitted && !isClosing();
    }

    /** Closing: a reason was given; no longer open for anyone, though its socket may still be writing. */
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

    /** Spring Integration's id ({@code ip_connectionId}): not the connection id of the API and logs ({@link #id}). */
    public String integrationConnectionId() {
        return connection.getConnectionId();
    }

    public String id() {
        return id;
    }

    /** Order of arrival (a larger one connected later). */
    public long sequence() {
        return sequence;
    }

    public GatewayListener listener() {
        return listener;
    }

    /** A PROXY header named {@code client}: its address is the peer's everywhere, the socket's is {@link #proxyAddress}. */
    void relayedFor(InetSocketAddress client) {
        proxyAddress = remoteAddress;
        remoteAddress = client.getAddress().getHostAddress();
        remotePort = client.getPort();
    }

    /** Who the client proved to be: a token's name, a JWT's subject, a certificate's CN; null when none. */
    public @Nullable String principal() {
        return principal;
    }

    /** Authentication succeeded; it becomes an ordinary peer once its login is complete ({@link #completeLogin}). */
    public void authenticatedAs(String principal) {
        this.principal = principal;
    }

    /** Answered ({@code OK}) and given what was queued for it: from now on, and not before, it takes what is sent to all. */
    public void completeLogin() {
        loggedIn = true;
        listener.loggedIn(this);
    }

    /** Not logged in yet on a listener with auth (no {@code OK}, or its queued messages not yet sent): no broadcast. */
    public boolean awaitsAuthentication() {
        return !loggedIn && listener.auth().authenticates();
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

    /** {@link #remoteAddress()} as an address, for bans (parsed when asked: an idle peer holds less); null if odd. */
    public @Nullable InetAddress clientAddress() {
        try {
            return InetAddress.ofLiteral(remoteAddress);
        }
        catch (IllegalArgumentException unparsable) {
            return null;
        }
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
