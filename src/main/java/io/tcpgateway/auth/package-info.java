/**
 * Client authentication (CONTRACT section 11): checking a token (static, by its SHA-256, or a JWT
 * through Spring Security's decoder) and naming the client of a certificate. Everything here is
 * non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.tcpgateway.auth;

import org.jspecify.annotations.NullMarked;
