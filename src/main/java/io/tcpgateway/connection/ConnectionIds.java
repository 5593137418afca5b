package io.tcpgateway.connection;

import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Short, URL-safe connection ids, unique for the life of the process: a base-36 sequence number,
 * followed in a cluster by {@code .<node-id>} so that any pod can tell where a connection lives
 * ({@code c7pq.gateway-0}). Spring Integration's own ids ({@code host:port:localPort:uuid}) stay internal.
 */
public final class ConnectionIds {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private ConnectionIds() {
    }

    static long nextSequence() {
        return SEQUENCE.incrementAndGet();
    }

    static String id(long sequence) {
        return "c" + Long.toString(sequence, 36);
    }

    /** The node a connection id names, or null for an id without one (a single pod's ids). */
    public static @Nullable String nodeOf(String id) {
        int dot = id.indexOf('.');
        return (dot < 0 || dot == id.length() - 1) ? null : id.substring(dot + 1);
    }
}
