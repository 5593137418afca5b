package io.tcpgateway.connection;

import java.io.EOFException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Why a connection was closed. The only place a reason is named: logs, the metrics tag
 * {@code reason} and the admin API all read {@link #tag()}. A reason the gateway decides on also
 * names the one frame the client is sent first ({@link #goodbye()}), so client developers can tell
 * a kick from a heartbeat timeout; {@link ClosePolicy} decides when it is said and what follows.
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
    /**
     * A frame it had begun made no progress for {@code gateway.inbound.frame-timeout}: no byte of it came
     * (slowloris), or its reader waited that long for memory ({@code gateway.inbound.max-buffered-bytes}).
     */
    FRAME_TIMEOUT("frame-timeout", "ERROR frame timeout"),
    /**
     * Its outbound backlog went over {@code gateway.outbound.max-pending-bytes}, or its writer made no progress
     * for {@code gateway.outbound.write-deadline}; no goodbye: its backlog is full.
     */
    SLOW_CONSUMER("slow-consumer", null),
    /** The listener was at {@code max-connections}. */
    REJECTED("rejected", "ERROR server full"),
    /** Its client address already had {@code max-connections-per-source} connections open on the listener. */
    SOURCE_LIMIT("source-limit", "ERROR too many connections from your address"),
    /**
     * Its PROXY header was malformed, truncated, too slow, missing where required, or sent from an
     * address outside {@code trusted-proxies}. Nothing is ever written to such a connection.
     */
    PROXY_HEADER_INVALID("proxy-header-invalid", null),
    /**
     * Its client address is banned (CONTRACT section 12); refused before anything else. No goodbye on a
     * TLS listener: sending one would take the TLS handshake a ban exists to spare.
     */
    BANNED("banned", "ERROR banned"),
    /**
     * Authentication failed (CONTRACT section 11): a wrong or expired token, a first frame other than
     * {@code AUTH} or {@code PING}, or (client-cert) a TLS handshake without a trusted certificate, which
     * gets no goodbye.
     */
    AUTH_FAILED("auth-failed", "ERROR auth failed"),
    /** No {@code AUTH} frame within {@code gateway.auth.timeout}. */
    AUTH_TIMEOUT("auth-timeout", "ERROR auth timeout"),
    /**
     * A newer connection of the same principal logged in to the listener, on this pod or another, and the
     * listener says {@code duplicate-principal: replace} (CONTRACT section 14).
     */
    REPLACED("replaced", "ERROR replaced"),
    /**
     * It logged in as a principal already connected to the listener, on this pod or another, and the
     * listener says {@code duplicate-principal: refuse}.
     */
    DUPLICATE("duplicate", "ERROR already connected"),
    /**
     * Kafka refused one of its frames for good (larger than the topic takes, not authorized, ...) on a
     * {@code forward} listener (CONTRACT section 15); a slow or absent Kafka never closes a connection.
     */
    FORWARD_FAILED("forward-failed", "ERROR forward failed"),
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

    /** Refused before it became a peer (never admitted), yet reported: counted, logged, remembered. */
    public boolean refusedAtAdmission() {
        return this == REJECTED || this == SOURCE_LIMIT || this == PROXY_HEADER_INVALID || this == BANNED
                || this == AUTH_FAILED || this == AUTH_TIMEOUT;
    }

    public String tag() {
        return tag;
    }

    /** The frame sent before closing for this reason, or null when none is. */
    public byte @Nullable [] goodbye() {
        return goodbye;
    }

    /**
     * A socket read or write that failed while the gateway had not decided to close (a close of its own
     * sets its reason first, and the first reason stays). Decided by the exception's type, never its
     * message (which differs between JDKs and locales): a TLS failure is an error; a socket exception
     * (a reset, a broken pipe) or an end of stream in the middle of something is the peer going away;
     * anything else is an error.
     */
    static CloseReason ofIoFailure(Exception failure) {
        if (failure instanceof SSLException) {
            return ERROR;
        }
        return (failure instanceof SocketException || failure instanceof EOFException) ? PEER : ERROR;
    }

    @Override
    public String toString() {
        return tag;
    }
}
