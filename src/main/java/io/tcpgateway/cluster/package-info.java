/**
 * Several pods joined through Redis: broadcast frames and admin calls between pods, and the cluster's health.
 * Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.tcpgateway.cluster;

import org.jspecify.annotations.NullMarked;
