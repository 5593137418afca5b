/**
 * A listener at run time and its peers: connections, outbound queues, bursts and pacing, close reasons, the registry of live peers.
 * Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.tcpgateway.connection;

import org.jspecify.annotations.NullMarked;
