package io.tcpgateway.config;

import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Client authentication on listeners with {@code auth: token} ({@code gateway.auth.*}, CONTRACT section 11).
 *
 * @param timeout how long a connection may take to send {@code AUTH <token>}; then "ERROR auth timeout"
 *     and closed (reason auth-timeout). Also the longest a client-cert TLS handshake may take
 * @param tokens static tokens: the token's name (the connection's principal) to the SHA-256 of the token
 *     as 64 hex digits ({@code printf %s "$TOKEN" | sha256sum}); never the token itself
 * @param jwt JSON Web Tokens checked by Spring Security's JWT decoder
 */
public record AuthProperties(
        @DefaultValue("5s") Duration timeout,
        @Nullable Map<String, String> tokens,
        @DefaultValue @NestedConfigurationProperty Jwt jwt) {

    public AuthProperties {
        tokens = (tokens == null) ? Map.of() : Map.copyOf(tokens);
    }

    /** Static tokens by name; empty when none is configured. */
    @Override
    public Map<String, String> tokens() {
        return (tokens == null) ? Map.of() : tokens;
    }

    /**
     * @param enabled check tokens of three dot-separated base64url parts as JWTs, with the keys and issuer
     *     of {@code spring.security.oauth2.resourceserver.jwt.*}; principal = the {@code sub} claim
     * @param requireExpiry refuse a JWT without an {@code exp} claim, which would never expire (as an
     *     expired one is refused); false only for issuers that cannot set one
     */
    public record Jwt(boolean enabled, @DefaultValue("true") boolean requireExpiry) {
    }
}
