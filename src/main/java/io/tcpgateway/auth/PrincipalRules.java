package io.tcpgateway.auth;

import io.tcpgateway.logging.LogText;
import org.jspecify.annotations.Nullable;

/**
 * What a principal may be (CONTRACT section 11): at most {@link #MAX_LENGTH} characters and no control
 * characters. A principal names a client in logs, the admin API, URLs and (with principals) Redis keys,
 * and a JWT's {@code sub} or a certificate's CN is whatever its issuer put there: a 10 KB subject or
 * one holding CR/LF is refused at login rather than carried everywhere.
 */
public final class PrincipalRules {

    public static final int MAX_LENGTH = 256;

    private PrincipalRules() {
    }

    /** Why {@code principal} is refused, without repeating it (it may be hostile); null when it is fine. */
    public static @Nullable String problemWith(String principal) {
        if (principal.length() > MAX_LENGTH) {
            return "a principal of " + principal.length() + " characters, over " + MAX_LENGTH;
        }
        for (int i = 0; i < principal.length(); i++) {
            if (LogText.isUnsafe(principal.charAt(i))) {
                return "a principal holding control characters";
            }
        }
        return null;
    }
}
