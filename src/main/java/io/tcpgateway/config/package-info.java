/**
 * The {@code gateway.*} configuration: bound records, their cross-field validation, start-up failure reports.
 * Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.tcpgateway.config;

import org.jspecify.annotations.NullMarked;
