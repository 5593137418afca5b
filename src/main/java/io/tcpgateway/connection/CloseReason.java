package io.tcpgateway.connection;

import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Why a connection was closed. The only place a reason is named: logs, the metrics tag
 * {@code reason} and the admin API all read {@link #tag()}. A reason the gateway decides on also
 * names the one frame the client is sent first ({@link #goodbye()}), so client developers can tell
 * a kick from a heartbeat timeout.
 */
public enum CloseReason {
    /** The peer closed its end (or reset it). */
    PEER("peer", null),
    /** Nothing was read from the peer for {@code gateway.heartbeat.timeout}. */
    HEARTBEAT_TIMEOUT("heartbeat-timeout", "ERROR heartbeat timeout"),
    /** An operator closed it through the admin API. */
    KICKED("kicked", "ERROR kicked"),
    /** The peer sent a frame over {@code max-frame-bytes}. */
    FRAME_TOO_LARGE("frame-too-large", "ERROR frame too large"),
    /** Its outbound backlog went over {@code gateway.outbound.max-pending-bytes}; no goodbye: its backlog is full. */
    SLOW_CONSUMER("slow-consumer", null),
    /** The listener was at {@code max-connections}. */
    REJECTED("rejected", "ERROR server full"),
    /** The gateway is shutting down; the goodbye is {@code gateway.shutdown.message}. */
    SHUTDOWN("shutdown", null),
    /** Anything else: broken framing ({@code ERROR invalid frame}), a TLS failure, an I/O error. */
    ERROR("error", null);

    private final String tag;
    private final byte @Nullable [] goodbye;

    CloseReason(String tag, @Nullable String goodbye) {
        this.tag = tag;
        this.goodbye = (goodbye != null) ? goodbye.getBytes(StandardCharsets.US_ASCII) : null;
    }

    public String tag() {
        return tag;
    }

    /** The frame sent before closing for this reason, or null when none is. */
    public byte @Nullable [] goodbye() {
        return goodbye;
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
