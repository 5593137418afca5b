package io.tcpgateway.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What clients may take of the process ({@code gateway.inbound.*}, CONTRACT section 4): memory held for what
 * they send, and file descriptors.
 *
 * <p>Every listener's
 * connections together may hold at most {@code max-buffered-bytes} in partial frames and large read
 * buffers; beyond it the gateway stops reading from the connections that want more (TCP holds their
 * clients), and a partial frame that makes no progress for {@code frame-timeout} closes its connection.
 *
 * @param maxBufferedBytes bytes of partial frames held for clients at once, gateway-wide; default a quarter
 *     of the heap ({@code -Xmx}); at most half of it, and at least the largest {@code max-frame-bytes}
 * @param frameTimeout how long a frame that has begun may go without a byte of it arriving (or its reader
 *     may wait for memory); then "ERROR frame timeout" and closed (reason frame-timeout)
 * @param reservedDescriptors file descriptors kept for the gateway itself (management port, probes, Redis,
 *     logs): client connections beyond the open-files limit minus this are refused with "ERROR server full"
 *     (reason rejected); 0 = no reserve
 * @param releaseReaderAfter how long a connection without TLS may send nothing before its reader gives its
 *     thread back and the connection waits for bytes in the gateway's selector (a quiet connection then holds
 *     no thread, about half its memory); 0 = readers keep their threads
 */
public record InboundProperties(@Nullable DataSize maxBufferedBytes, @DefaultValue("30s") Duration frameTimeout,
        @DefaultValue("256") int reservedDescriptors, @DefaultValue("1s") Duration releaseReaderAfter) {

    /** The share of the heap {@code max-buffered-bytes} defaults to. */
    public static final int DEFAULT_HEAP_DIVISOR = 4;

    /** {@code max-buffered-bytes}, or a quarter of this JVM's heap when it is not set. */
    public long budgetBytes() {
        return (maxBufferedBytes != null) ? maxBufferedBytes.toBytes() : Runtime.getRuntime().maxMemory() / DEFAULT_HEAP_DIVISOR;
    }
}
