package io.tcpgateway.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The management API ({@code gateway.admin.*}).
 *
 * @param username HTTP Basic user for every management call except health, info and prometheus
 * @param password its password; set it with the environment variable {@code GATEWAY_ADMIN_PASSWORD}.
 *     When unset, a random one is generated and logged once at start-up
 * @param closedHistory how many closed connections {@code GET /actuator/connections?state=closed} remembers
 * @param maxLoginFailures wrong credentials one client address may send within {@code login-failure-window};
 *     beyond that its calls with credentials are answered 429 (with Retry-After) without checking them
 * @param loginFailureWindow the window in which {@code max-login-failures} are counted
 */
public record AdminProperties(
        @DefaultValue("admin") String username,
        @Nullable String password,
        @DefaultValue("1000") int closedHistory,
        @DefaultValue("10") int maxLoginFailures,
        @DefaultValue("1m") Duration loginFailureWindow) {

    public boolean hasPassword() {
        return password != null && !password.isEmpty();
    }
}
