package io.tcpgateway.principal;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Messages kept for a principal that has no open connection (CONTRACT section 14): one queue per principal
 * and listener, in order, bounded by {@code gateway.principals.queue.max-messages} and {@code max-bytes},
 * each message with its own expiry. {@link MemoryPrincipalQueue} in the process; the cluster's keeps them in
 * Redis, where every pod sees them and a take is atomic, so a message is delivered once.
 *
 * <p>Expired messages are dropped (and counted) whenever a queue is touched, and by {@link #sweep()} for
 * queues nobody touches. A store that cannot be reached throws {@link Unavailable}.
 */
public interface PrincipalQueue {

    /** The listener of a message that goes to the first connection of its principal on any listener. */
    String ANY_LISTENER = "*";

    /**
     * Appends a message to the queue of {@code principal} on {@code listener} (or {@link #ANY_LISTENER}),
     * kept for {@code ttl}; null when queued, or why not: the bound it would go over.
     */
    @Nullable String offer(String principal, String listener, String message, Duration ttl);

    /**
     * Takes, atomically and in the order queued, the messages due to a connection of {@code principal} that
     * has just logged in on {@code listener}: those queued for that listener and for any listener. Expired
     * ones are dropped instead. Nobody else can take the same messages.
     */
    List<String> take(String principal, String listener);

    /** Messages queued for {@code principal} on any listener, not expired. */
    int count(String principal);

    /** Drops every message queued for {@code principal}; how many there were (not expired). */
    int drop(String principal);

    /** Drops the expired messages of every queue (counted as expired). Run every few seconds. */
    void sweep();

    /** Messages queued (not yet delivered, dropped or expired) as last counted, for the gauge. */
    long size();

    /** The store of the queues cannot be reached (Redis away). */
    final class Unavailable extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
