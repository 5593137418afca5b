/**
 * The gateway's Micrometer meters.
 * Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.tcpgateway.metrics;

import org.jspecify.annotations.NullMarked;
