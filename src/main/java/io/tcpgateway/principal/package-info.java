/**
 * Principals (CONTRACT section 14): reaching a client by who it proved to be. The login that completes an
 * authentication (duplicates across pods, then the messages queued for it), this pod's connections of a
 * principal, and the offline queue (in the process here; in Redis with the cluster). Everything here is
 * non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.tcpgateway.principal;

import org.jspecify.annotations.NullMarked;
