/**
 * Bans (CONTRACT section 12): the one list of banned addresses and ranges, the flapping detection
 * that adds to it, and the gate new connections pass. Everything here is non-null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package io.tcpgateway.ban;

import org.jspecify.annotations.NullMarked;
