package io.tcpgateway.framing;

import java.io.IOException;
import java.util.Arrays;

/**
 * One frame being put together from several reads. It grows only as bytes arrive, never to what a
 * header merely announces, and every byte of it beyond {@link #FREE_BYTES} is held from the gateway's
 * budget ({@link PartialFrames}) until the frame is done or abandoned. Used by one reader, within one
 * call of a codec; {@link #release} must run whatever happens.
 */
final class PartialFrame {

    /**
     * Held without asking the budget: a small frame that a TCP segment boundary split in two never waits
     * for memory. Bounded per connection, so by the number of connections (and so by file descriptors).
     */
    static final int FREE_BYTES = 1024;

    private final PartialFrames memory;
    private byte[] bytes = new byte[0];
    private int length;
    private int held;

    PartialFrame(PartialFrames memory) {
        this.memory = memory;
    }

    int length() {
        return length;
    }

    /**
     * Appends {@code count} buffered bytes of {@code in}. The capacity doubles (to at most {@code limit}) so
     * a long frame is copied a few times, not once per read; {@code last} (the frame ends with these bytes)
     * takes exactly what is needed.
     */
    void append(ReadBuffer in, int count, boolean last, int limit) throws IOException {
        int needed = length + count;
        if (needed > bytes.length) {
            int capacity = last ? needed : (int) Math.min(limit, Math.max(needed, Math.max(256L, 2L * length)));
            grow(capacity);
        }
        in.take(bytes, length, count);
        length = needed;
    }

    /** The frame, exactly as long as it is. */
    byte[] toFrame() {
        return (bytes.length == length) ? bytes : Arrays.copyOf(bytes, length);
    }

    /** Gives back what the budget lent this frame; the bytes themselves go with the frame or the garbage. */
    void release() {
        if (held > 0) {
            memory.release(held);
            held = 0;
        }
    }

    private void grow(int capacity) throws IOException {
        int mustHold = Math.max(0, capacity - FREE_BYTES) - held;
        if (mustHold > 0) {
            memory.hold(mustHold); // may wait: this reader stops reading while the budget is used up
            held += mustHold;
        }
        bytes = Arrays.copyOf(bytes, capacity);
    }
}
