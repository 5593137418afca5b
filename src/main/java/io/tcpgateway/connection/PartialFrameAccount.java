package io.tcpgateway.connection;

import io.tcpgateway.framing.PartialFrames;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One connection's side of the {@link InboundBudget} ({@link PartialFrames}, CONTRACT section 4): what its
 * reader holds (partial frames beyond the free allowance, a large read buffer), its waits for more when
 * the budget is used up, and the frame timeout on its socket while a frame is half read. Used by the
 * reader thread, but for {@link #closed}, which any thread may call.
 */
final class PartialFrameAccount implements PartialFrames {

    private final Peer peer;
    private final Socket socket;
    /** The socket's read timeout between frames ({@link ChannelParking#betweenFramesMillis}; 0: none). */
    private final IntSupplier betweenFramesMillis;
    /** Bytes held from the budget; the reader alone changes it. */
    private int heldBytes;
    /** The reader while it waits for memory, so that a close wakes it. */
    private volatile @Nullable Thread waiting;

    PartialFrameAccount(Peer peer, Socket socket, IntSupplier betweenFramesMillis) {
        this.peer = peer;
        this.socket = socket;
        this.betweenFramesMillis = betweenFramesMillis;
    }

    @Override
    public boolean tryHold(int bytes) {
        if (budget().tryHold(bytes)) {
            heldBytes += bytes;
            return true;
        }
        return false;
    }

    @Override
    public void hold(int bytes) throws IOException {
        waiting = Thread.currentThread();
        try {
            budget().hold(bytes, heldBytes, peer::isClosing);
        }
        finally {
            waiting = null;
        }
        heldBytes += bytes;
    }

    @Override
    public void release(int bytes) {
        heldBytes -= bytes;
        budget().release(bytes);
    }

    /**
     * The rest of a frame must come within the frame timeout: the socket's reads are bounded by it meanwhile;
     * between frames, by the time after which a quiet reader parks (or not at all).
     */
    @Override
    public void awaitingRestOfFrame(boolean awaiting) throws IOException {
        socket.setSoTimeout(awaiting ? (int) Math.max(1, budget().frameTimeoutNanos() / 1_000_000) : betweenFramesMillis.getAsInt());
    }

    /** The reader is done: whatever it still holds goes back (codecs give back their frames' themselves). */
    void releaseAll() {
        if (heldBytes > 0) {
            release(heldBytes);
        }
    }

    /** The connection closed: a reader waiting for memory wakes, sees it, and gives up. */
    void closed() {
        Thread reader = waiting;
        if (reader != null) {
            LockSupport.unpark(reader);
        }
    }

    private InboundBudget budget() {
        return peer.listener().inboundBudget();
    }
}
