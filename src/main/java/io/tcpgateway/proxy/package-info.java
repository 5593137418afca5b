/**
 * The PROXY protocol (v1 and v2, as HAProxy specifies it): the header a load balancer puts in front
 * of a connection to say which client it carries.
 * Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.tcpgateway.proxy;

import org.jspecify.annotations.NullMarked;
