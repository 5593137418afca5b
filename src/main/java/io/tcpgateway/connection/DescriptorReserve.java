package io.tcpgateway.connection;

import com.sun.management.UnixOperatingSystemMXBean;
import io.tcpgateway.config.GatewayProperties;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * File descriptors kept free for the gateway itself ({@code gateway.inbound.reserved-descriptors},
 * CONTRACT section 4): client sockets may take the process's open-files limit (known at start-up) minus
 * the reserve, and a connection beyond that is refused at accept as {@code server full}. Without it a
 * flood of connections takes every descriptor, and the management port, the probes and Redis go with
 * them (the attack run saw {@code /actuator/gateway} answer in 5.9 s or not at all). Counts the client
 * sockets the listeners hold, from accept to close.
 */
@Component
public class DescriptorReserve {

    private final long openFilesLimit;
    private final int maxClientSockets;
    private final AtomicInteger open = new AtomicInteger();

    @Autowired
    public DescriptorReserve(GatewayProperties properties) {
        this(readOpenFilesLimit(), properties.inbound().reservedDescriptors());
    }

    DescriptorReserve(long openFilesLimit, int reserved) {
        this.openFilesLimit = openFilesLimit;
        long allowed = (reserved <= 0 || openFilesLimit <= 0) ? Integer.MAX_VALUE : openFilesLimit - reserved;
        this.maxClientSockets = (int) Math.clamp(allowed, 0, Integer.MAX_VALUE);
    }

    /** The process's open-files limit as read at start-up, or 0 where the platform does not say. */
    public long openFilesLimit() {
        return openFilesLimit;
    }

    private static long readOpenFilesLimit() {
        return (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix)
                ? unix.getMaxFileDescriptorCount() : 0;
    }

    /** Whether a newly accepted socket would take one of the reserved descriptors: refuse it. */
    public boolean isExhausted() {
        return open.get() >= maxClientSockets;
    }

    /** Client sockets open now. */
    public int openSockets() {
        return open.get();
    }

    /** How many client sockets the reserve allows at once. */
    public int maxClientSockets() {
        return maxClientSockets;
    }

    void socketOpened() {
        open.incrementAndGet();
    }

    void socketClosed() {
        open.decrementAndGet();
    }
}
