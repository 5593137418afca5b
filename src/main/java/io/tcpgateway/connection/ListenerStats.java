package io.tcpgateway.connection;

import io.tcpgateway.connection.CloseReason;
import java.util.concurrent.atomic.LongAdder;

/**
 * A listener's running totals, added to where the bytes move (the reader, the writer, the registry)
 * and read by the metrics. LongAdders: many connections add at once without contending.
 */
public final class ListenerStats {

    private final LongAdder opened = new LongAdder();
    /** One counter per close reason, by its ordinal. */
    private final LongAdder[] closed = new LongAdder[CloseReason.values().length];
    private final LongAdder framesIn = new LongAdder();
    private final LongAdder framesOut = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder heartbeatsSent = new LongAdder();
    private final LongAdder acceptErrors = new LongAdder();
    private final LongAdder producerStalls = new LongAdder();
    private final LongAdder inboundThrottled = new LongAdder();
    private final LongAdder healthChecks = new LongAdder();
    private final LongAdder authFailed = new LongAdder();
    private final LongAdder authTimedOut = new LongAdder();

    ListenerStats() {
        for (int i = 0; i < closed.length; i++) {
            closed[i] = new LongAdder();
        }
    }

    public void connectionOpened() {
        opened.increment();
    }

    public void connectionClosed(CloseReason reason) {
        closed[reason.ordinal()].increment();
    }

    public void frameRead(int bytes) {
        framesIn.increment();
        bytesIn.add(bytes);
    }

    /** Bytes read that made no frame (a frame too large, broken framing). */
    public void bytesRead(int bytes) {
        bytesIn.add(bytes);
    }

    public void framesWritten(int frames, int bytes) {
        framesOut.add(frames);
        bytesOut.add(bytes);
    }

    public void heartbeatSent() {
        heartbeatsSent.increment();
    }

    public void acceptFailed() {
        acceptErrors.increment();
    }

    public void producerStalled() {
        producerStalls.increment();
    }

    /** A connection over {@code max-frames-per-second} was throttled: not read from until back under. */
    /** A balancer's health check (PROXY v2 {@code LOCAL}) was answered: counted here only, never as a connection. */
    void healthChecked() {
        healthChecks.increment();
    }

    public long healthChecks() {
        return healthChecks.sum();
    }

    public void readerThrottled() {
        inboundThrottled.increment();
    }

    /** A failed ({@code auth-failed}) or timed-out ({@code auth-timeout}) authentication. */
    public void authenticationFailed(CloseReason reason) {
        (reason == CloseReason.AUTH_TIMEOUT ? authTimedOut : authFailed).increment();
    }

    public long inboundThrottled() {
        return inboundThrottled.sum();
    }

    /** Authentications that failed for {@code reason}: {@code AUTH_FAILED} or {@code AUTH_TIMEOUT}. */
    public long authenticationFailures(CloseReason reason) {
        return (reason == CloseReason.AUTH_TIMEOUT ? authTimedOut : authFailed).sum();
    }

    public long opened() {
        return opened.sum();
    }

    public long closed(CloseReason reason) {
        return closed[reason.ordinal()].sum();
    }

    public long framesIn() {
        return framesIn.sum();
    }

    public long framesOut() {
        return framesOut.sum();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    public long heartbeatsSent() {
        return heartbeatsSent.sum();
    }

    public long acceptErrors() {
        return acceptErrors.sum();
    }

    public long producerStalls() {
        return producerStalls.sum();
    }
}
