/**
 * How frames are delimited on the wire: the codecs and the reader's buffer.
 * Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.tcpgateway.framing;

import org.jspecify.annotations.NullMarked;
