/**
 * The management API: actuator endpoints (HTTP lives here alone), admin calls and their typed results, health.
 * Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.tcpgateway.admin;

import org.jspecify.annotations.NullMarked;
