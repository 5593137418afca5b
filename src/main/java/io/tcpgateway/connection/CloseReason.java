package io.tcpgateway.connection;

import java.io.IOException;
import java.net.SocketException;

/**
 * Why a connection was closed. The only place a reason is named: logs, the metrics tag
 * {@code reason} and the admin API all read {@link #tag()}.
 */
public enum CloseReason {
    /** The peer closed its end (or reset it). */
    PEER("peer"),
    /** Nothing was read from the peer for {@code gateway.heartbeat.timeout}. */
    HEARTBEAT_TIMEOUT("heartbeat-timeout"),
    /** An operator closed it through the admin API. */
    KICKED("kicked"),
    /** The peer sent a frame over {@code max-frame-bytes}. */
    FRAME_TOO_LARGE("frame-too-large"),
    /** Its outbound backlog went over {@code gateway.outbound.max-pending-bytes}. */
    SLOW_CONSUMER("slow-consumer"),
    /** The listener was at {@code max-connections}. */
    REJECTED("rejected"),
    /** The gateway is shutting down. */
    SHUTDOWN("shutdown"),
    /** Anything else: broken framing, a TLS failure, an I/O error. */
    ERROR("error");

    private final String tag;

    CloseReason(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    /** A failed socket read or write: a reset or broken pipe is the peer going away, anything else an error. */
    static CloseReason ofIoFailure(Exception failure) {
        String message = String.valueOf(failure.getMessage()).toLowerCase();
        boolean peerWentAway = failure instanceof SocketException
                && (message.contains("reset") || message.contains("broken pipe") || message.contains("closed"));
        return peerWentAway || (failure instanceof IOException && message.contains("end of stream")) ? PEER : ERROR;
    }

    @Override
    public String toString() {
        return tag;
    }
}
