/**
 * Liveness: pings to quiet peers and closing the ones that stopped talking.
 * Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.tcpgateway.heartbeat;

import org.jspecify.annotations.NullMarked;
