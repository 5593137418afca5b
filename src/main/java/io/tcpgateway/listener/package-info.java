/**
 * Wiring: one server connection factory and one Spring Integration flow per configured listener.
 * Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.tcpgateway.listener;

import org.jspecify.annotations.NullMarked;
