package io.tcpgateway.connection;

import java.time.Instant;

/**
 * The times and counters of one connection, plain fields updated where the bytes move (reads by the
 * connection's reader thread, writes by its single active writer), so reading them never costs the data
 * path. The part of {@link Peer} that the heartbeat and the admin API read; a superclass rather than an
 * object of its own, so a connection is still one object.
 */
public abstract class PeerActivity {

    private final long connectedAt;
    private volatile long lastReadAt;
    private volatile long lastWriteAt;
    private volatile long lastPingAt;
    /** Since when the gateway itself has not been reading this connection (0: reading), epoch millis. */
    private volatile long readingPausedAt;
    private volatile long readingResumedAt;
    private volatile long framesIn;
    private volatile long bytesIn;
    private volatile long framesOut;
    private volatile long bytesOut;

    PeerActivity() {
        this.connectedAt = System.currentTimeMillis();
        this.lastReadAt = connectedAt;
        this.lastWriteAt = connectedAt;
    }

    /** The listener's running totals, which every count here also goes to. */
    abstract ListenerStats stats();

    /** Called by the message mapper for every frame read: the sign of life the heartbeat looks at. */
    public void recordRead(int bytes) {
        lastReadAt = System.currentTimeMillis();
        framesIn++;
        bytesIn += bytes;
        stats().frameRead(bytes);
    }

    /** Bytes read that made no frame (a frame too large, broken framing): counted, but no sign of life. */
    void recordUnframedRead(int bytes) {
        bytesIn += bytes;
        stats().bytesRead(bytes);
    }

    void recordWrite(int bytes, int frames) {
        lastWriteAt = System.currentTimeMillis();
        framesOut += frames;
        bytesOut += bytes;
        stats().framesWritten(frames, bytes);
    }

    /**
     * The gateway stops reading this connection for a reason of its own (Kafka has not stored its frames yet): the
     * heartbeat does not count the time until {@link #resumeReading()} as the client's silence.
     */
    public void pauseReading() {
        readingPausedAt = System.currentTimeMillis();
    }

    /** The gateway reads this connection again after {@link #pauseReading()}. */
    public void resumeReading() {
        readingResumedAt = System.currentTimeMillis();
        readingPausedAt = 0;
    }

    /** Whether the gateway has paused reading this connection, so its silence is the gateway's, not the client's. */
    public boolean readingPaused() {
        return readingPausedAt != 0;
    }

    /**
     * Since when the client has been silent as far as the heartbeat is concerned: its last frame, or the end of the
     * gateway's last pause in reading it, whichever is later.
     */
    public long silentSinceMillis() {
        return Math.max(lastReadAt, readingResumedAt);
    }

    /** The heartbeat sent this peer its ping at {@code now}. */
    public void pinged(long now) {
        lastPingAt = now;
    }

    public long lastPingAtMillis() {
        return lastPingAt;
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
}
