/**
 * How text a client chose (a principal, a PROXY header, a token's refusal) is written to the log.
 * Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.tcpgateway.logging;

import org.jspecify.annotations.NullMarked;
