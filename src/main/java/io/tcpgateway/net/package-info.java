/**
 * Network facts read from text a client or an operator wrote: IP address literals, parsed strictly.
 * Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.tcpgateway.net;

import org.jspecify.annotations.NullMarked;
