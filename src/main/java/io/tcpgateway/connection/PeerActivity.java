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
