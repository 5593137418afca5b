package io.tcpgateway.listener;

import com.sun.management.UnixOperatingSystemMXBean;
import io.tcpgateway.config.ListenerProperties;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns at start-up when the process may run out of file descriptors before its listeners are full:
 * every connection is one descriptor, and the gateway needs some of its own (its jar, logs, the
 * management port, Redis). Running out is survived (accepts are retried, nothing open is closed),
 * but new clients wait until descriptors free up, so operators should raise the limit instead.
 */
final class OpenFilesLimit {

    /** Descriptors the gateway itself may hold beside its connections: jar and JDK files, HTTP, Redis, logs. */
    static final int OWN_FILES_MARGIN = 256;

    private static final Logger log = LoggerFactory.getLogger(OpenFilesLimit.class);

    private OpenFilesLimit() {
    }

    static void warnIfBelow(List<ListenerProperties> listeners) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof UnixOperatingSystemMXBean unix)) {
            return; // no such limit to read on this platform
        }
        long limit = unix.getMaxFileDescriptorCount();
        long needed = listeners.stream().mapToLong(ListenerProperties::maxConnections).sum() + OWN_FILES_MARGIN;
        if (limit < needed) {
            log.warn("The open-files limit of this process is {}, below the listeners' max-connections plus {} for"
                    + " the gateway's own files ({}): past about {} connections new clients wait in the kernel's"
                    + " backlog (accepts are retried; open connections are kept). Raise it (ulimit -n {}) or lower"
                    + " gateway.listeners[*].max-connections.", limit, OWN_FILES_MARGIN, needed,
                    Math.max(0, limit - OWN_FILES_MARGIN), needed);
        }
    }
}
