/**
 * Graceful shutdown: the drain on SIGTERM.
 * Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.tcpgateway.shutdown;

import org.jspecify.annotations.NullMarked;
