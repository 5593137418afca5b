/**
 * tcp-gateway: a managed TCP gateway (echo and broadcast listeners, heartbeat, admin API, cluster).
 * Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.tcpgateway;

import org.jspecify.annotations.NullMarked;
