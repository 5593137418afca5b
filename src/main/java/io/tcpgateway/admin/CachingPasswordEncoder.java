package io.tcpgateway.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Basic auth checks the password on every call, and a bcrypt check costs milliseconds of a core. A
 * password once verified is remembered, as a SHA-256 digest of the password and its stored hash, for
 * {@link #REMEMBERED}: the next call with it costs a digest instead of a bcrypt hash. Wrong passwords
 * are never remembered, so guessing still costs bcrypt per guess (and {@link LoginThrottle} limits the
 * guesses). The digest of a high-entropy password (the generated one has 144 bits) gives an attacker
 * who could read the process's memory nothing the bcrypt hash beside it does not.
 */
final class CachingPasswordEncoder implements PasswordEncoder {

    static final Duration REMEMBERED = Duration.ofMinutes(5);
    private static final int MAX_REMEMBERED = 16;

    private final PasswordEncoder delegate;
    private final Map<Digest, Long> verifiedUntil = new ConcurrentHashMap<>();

    CachingPasswordEncoder(PasswordEncoder delegate) {
        this.delegate = delegate;
    }

    @Override
    public @Nullable String encode(@Nullable CharSequence rawPassword) {
        return delegate.encode(rawPassword);
    }

    @Override
    public boolean matches(@Nullable CharSequence rawPassword, @Nullable String encodedPassword) {
        if (rawPassword == null || encodedPassword == null) {
            return false;
        }
        Digest digest = Digest.of(rawPassword, encodedPassword);
        Long until = verifiedUntil.get(digest);
        long now = System.nanoTime();
        if (until != null && now - until < 0) {
            return true;
        }
        boolean matches = delegate.matches(rawPassword, encodedPassword);
        if (matches) {
            if (verifiedUntil.size() >= MAX_REMEMBERED) {
                verifiedUntil.clear();
            }
            verifiedUntil.put(digest, now + REMEMBERED.toNanos());
        }
        return matches;
    }

    /** SHA-256 of the password and its stored hash; equal digests compared in constant time. */
    private record Digest(byte[] bytes) {

        static Digest of(CharSequence rawPassword, String encodedPassword) {
            try {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                sha256.update(encodedPassword.getBytes(StandardCharsets.UTF_8));
                sha256.update((byte) 0);
                sha256.update(rawPassword.toString().getBytes(StandardCharsets.UTF_8));
                return new Digest(sha256.digest());
            }
            catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException("every JDK has SHA-256", ex);
            }
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof Digest digest && MessageDigest.isEqual(bytes, digest.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
