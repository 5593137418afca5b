package io.tcpgateway.listener;

import io.tcpgateway.config.ListenerProperties;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns at start-up when the process may run out of file descriptors before its listeners are full:
 * every connection is one descriptor, and the gateway needs some of its own (its jar, logs, the
 * management port, Redis). Running out is survived (clients past the reserve are refused, accepts are
 * retried, nothing open is closed), but new clients are turned away, so operators should raise the limit.
 */
final class OpenFilesLimit {

    /** Descriptors the gateway itself may hold beside its connections: jar and JDK files, HTTP, Redis, logs. */
    static final int OWN_FILES_MARGIN = 256;

    private static final Logger log = LoggerFactory.getLogger(OpenFilesLimit.class);

    private OpenFilesLimit() {
    }

    /** @param limit the process's open-files limit, as the descriptor reserve read it (0: the platform has none) */
    static void warnIfBelow(List<ListenerProperties> listeners, int reserved, long limit) {
        if (limit <= 0) {
            return; // no such limit on this platform
        }
        int margin = (reserved > 0) ? reserved : OWN_FILES_MARGIN;
        long needed = listeners.stream().mapToLong(ListenerProperties::maxConnections).sum() + margin;
        if (limit < needed) {
            String past = (reserved > 0) ? "new clients are refused as server full (the rest is reserved for the"
                    + " management port, probes and Redis: gateway.inbound.reserved-descriptors)"
                    : "new clients wait in the kernel's backlog (accepts are retried; open connections are kept)";
            log.warn("The open-files limit of this process is {}, below the listeners' max-connections plus {} for"
                    + " the gateway's own files ({}): past about {} connections {}. Raise it (ulimit -n {}) or lower"
                    + " gateway.listeners[*].max-connections.", limit, margin, needed, Math.max(0, limit - margin), past,
                    needed);
        }
    }
}
