package io.tcpgateway.connection;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Short, URL-safe connection ids, unique for the life of the process: a base-36 sequence number.
 * Spring Integration's own ids ({@code host:port:localPort:uuid}) stay internal.
 */
final class ConnectionIds {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private ConnectionIds() {
    }

    static long nextSequence() {
        return SEQUENCE.incrementAndGet();
    }

    static String id(long sequence) {
        return "c" + Long.toString(sequence, 36);
    }
}
