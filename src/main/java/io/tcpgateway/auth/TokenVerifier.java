package io.tcpgateway.auth;

import io.tcpgateway.config.AuthProperties;
import io.tcpgateway.config.GatewayProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Component;

/**
 * Checks the token of an {@code AUTH <token>} frame (CONTRACT section 11). A token of three
 * dot-separated base64url parts is a JWT when {@code gateway.auth.jwt.enabled}: Spring Security's
 * {@link JwtDecoder} (keys and issuer from {@code spring.security.oauth2.resourceserver.jwt.*}) checks
 * its signature and expiry (one without {@code exp} is refused unless {@code require-expiry} is off), and
 * its {@code sub} claim is the principal. Any other token is hashed with
 * SHA-256 and compared, in constant time and against every configured hash, with
 * {@code gateway.auth.tokens.<name>}; the name is the principal. Tokens are never kept or logged.
 */
@Component
public class TokenVerifier {

    private static final Pattern JWT_SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private final Map<String, byte[]> hashes = new LinkedHashMap<>();
    private final @Nullable JwtDecoder jwtDecoder;
    private final boolean requireExpiry;

    public TokenVerifier(GatewayProperties properties, ObjectProvider<JwtDecoder> jwtDecoder) {
        AuthProperties auth = properties.auth();
        auth.tokens().forEach((name, hex) -> hashes.put(name, HexFormat.of().parseHex(hex.toLowerCase())));
        this.jwtDecoder = auth.jwt().enabled() ? jwtDecoder.getIfAvailable() : null;
        this.requireExpiry = auth.jwt().requireExpiry();
        if (auth.jwt().enabled() && this.jwtDecoder == null) {
            throw new IllegalStateException("gateway.auth.jwt.enabled is true but no JWT decoder is configured: set "
                    + "spring.security.oauth2.resourceserver.jwt.public-key-location, .jwk-set-uri or .issuer-uri");
        }
    }

    /** What checking a token came to: the principal, or why it was refused (never containing the token). */
    public sealed interface Verdict {
        record Accepted(String principal) implements Verdict {
        }

        record Refused(String why) implements Verdict {
        }
    }

    /**
     * The principal {@code token} proves, or why it is refused. A principal that breaks
     * {@link PrincipalRules} (too long, control characters) is refused like a wrong token.
     */
    public Verdict verify(String token) {
        Verdict verdict = check(token);
        if (verdict instanceof Verdict.Accepted accepted) {
            String problem = PrincipalRules.problemWith(accepted.principal());
            if (problem != null) {
                return new Verdict.Refused(problem);
            }
        }
        return verdict;
    }

    private Verdict check(String token) {
        if (token.isEmpty()) {
            return new Verdict.Refused("empty token");
        }
        if (jwtDecoder != null && JWT_SHAPE.matcher(token).matches()) {
            return verifyJwt(jwtDecoder, token);
        }
        byte[] presented = sha256(token);
        String principal = null;
        for (Map.Entry<String, byte[]> entry : hashes.entrySet()) {
            // Every hash is compared, each in constant time: how long this takes says nothing about the token.
            if (MessageDigest.isEqual(presented, entry.getValue()) && principal == null) {
                principal = entry.getKey();
            }
        }
        return (principal != null) ? new Verdict.Accepted(principal) : new Verdict.Refused("unknown token");
    }

    private Verdict verifyJwt(JwtDecoder decoder, String token) {
        try {
            Jwt jwt = decoder.decode(token);
            if (requireExpiry && jwt.getExpiresAt() == null) {
                return new Verdict.Refused("JWT without an exp claim (gateway.auth.jwt.require-expiry)");
            }
            String subject = jwt.getSubject();
            return (subject == null || subject.isBlank()) ? new Verdict.Refused("JWT without a sub claim")
                    : new Verdict.Accepted(subject);
        }
        catch (JwtException refused) {
            return new Verdict.Refused("JWT refused: " + refused.getMessage());
        }
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException impossible) { // every JDK has SHA-256
            throw new IllegalStateException(impossible);
        }
    }
}
