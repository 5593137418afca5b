package io.tcpgateway.framing;

import java.io.IOException;

/**
 * What a connection's reader may hold while frames arrive in pieces (CONTRACT section 4): bytes of
 * partial frames and of a large read buffer beyond a small allowance per connection are held from a
 * budget shared by the whole gateway, and a partial frame that makes no progress for the frame timeout
 * ends its connection. The connection implements it; codecs and the {@link ReadBuffer} ask it.
 */
public interface PartialFrames {

    /** No budget and no timeout: codecs on their own (tests, tools). */
    PartialFrames UNBOUNDED = new PartialFrames() {
        @Override
        public boolean tryHold(int bytes) {
            return true;
        }

        @Override
        public void hold(int bytes) {
        }

        @Override
        public void release(int bytes) {
        }

        @Override
        public void awaitingRestOfFrame(boolean awaiting) {
        }
    };

    /** Holds {@code bytes} more if the budget has them now; false (nothing held) when it has not. */
    boolean tryHold(int bytes);

    /**
     * Holds {@code bytes} more, waiting while the budget is used up: the reader stops reading (TCP holds the
     * client), smaller partial frames are served first.
     *
     * @throws FrameTimeoutException when the wait outlasts the frame timeout
     * @throws IOException when the connection was closed meanwhile
     */
    void hold(int bytes) throws IOException;

    /** Gives back {@code bytes} held before. */
    void release(int bytes);

    /**
     * The reader is about to wait for the rest of a frame it has begun ({@code true}), or for the start of
     * the next one ({@code false}); a wait of the first kind is bounded by the frame timeout, after which
     * the socket read fails with a {@link java.net.SocketTimeoutException}.
     */
    void awaitingRestOfFrame(boolean awaiting) throws IOException;
}
