package io.tcpgateway.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tcpgateway.config.AdminProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wrong admin credentials in a loop: after {@code max-login-failures} 401s to one client address within
 * {@code login-failure-window}, its calls that carry credentials are answered 429 with
 * {@code Retry-After} (an RFC 9457 problem) without the password being checked, until the window has
 * room again. A password check is a bcrypt hash, which is what an attacker makes the pod spend its
 * cores on; refused unchecked, the attempts cost almost nothing, so probes and the real operator stay
 * fast. Calls without credentials (the open probes) are never throttled. Counted in
 * {@code gateway.admin.login.failures} and {@code gateway.admin.login.throttled}.
 */
final class LoginThrottle extends OncePerRequestFilter {

    /** Addresses remembered before expired ones are swept out. */
    private static final int MAX_ADDRESSES = 10_000;

    private final int maxFailures;
    private final long windowNanos;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();
    private final Counter failed;
    private final Counter throttled;
    private final JsonMapper json = JsonMapper.builder().build();

    LoginThrottle(AdminProperties admin, MeterRegistry meters) {
        this.maxFailures = admin.maxLoginFailures();
        this.windowNanos = admin.loginFailureWindow().toNanos();
        this.failed = Counter.builder("gateway.admin.login.failures").description("admin calls with wrong credentials")
                .register(meters);
        this.throttled = Counter.builder("gateway.admin.login.throttled")
                .description("admin calls refused unchecked after too many wrong credentials from their address")
                .register(meters);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
            chain.doFilter(request, response);
            return;
        }
        String address = request.getRemoteAddr();
        long retryAfter = retryAfterNanos(address);
        if (retryAfter > 0) {
            throttled.increment();
            long seconds = Math.max(1, Duration.ofNanos(retryAfter).toSeconds() + 1);
            response.setStatus(429);
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
            response.setContentType(Problem.MEDIA_TYPE.toString());
            json.writeValue(response.getOutputStream(), Problem.of(HttpStatus.TOO_MANY_REQUESTS,
                    "too many wrong credentials from " + address + "; try again in " + seconds + " s",
                    request.getRequestURI()));
            return;
        }
        chain.doFilter(request, response);
        if (response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
            failed.increment();
            recordFailure(address);
        }
        else if (response.getStatus() < 400) {
            failures.remove(address); // the right credentials: a fresh start
        }
    }

    /** Above the limit: nanoseconds until the oldest failure in the window leaves it; 0 otherwise. */
    private long retryAfterNanos(String address) {
        Deque<Long> recent = failures.get(address);
        if (recent == null) {
            return 0;
        }
        synchronized (recent) {
            long now = System.nanoTime();
            Long oldest = dropExpired(recent, now);
            if (oldest == null) {
                failures.remove(address, recent);
                return 0;
            }
            return (recent.size() >= maxFailures) ? windowNanos - (now - oldest) : 0;
        }
    }

    /** Drops failures that left the window; the oldest one still in it, or null when none is. */
    private @Nullable Long dropExpired(Deque<Long> recent, long now) {
        Long oldest;
        while ((oldest = recent.peekFirst()) != null && now - oldest >= windowNanos) {
            recent.pollFirst();
        }
        return oldest;
    }

    /** Many addresses failing (a distributed attempt): forget those whose failures all left the window. */
    private void pruneIfLarge() {
        if (failures.size() > MAX_ADDRESSES) {
            long now = System.nanoTime();
            failures.forEach((address, recent) -> {
                synchronized (recent) {
                    if (dropExpired(recent, now) == null) {
                        failures.remove(address, recent);
                    }
                }
            });
        }
    }

    private void recordFailure(String address) {
        pruneIfLarge();
        Deque<Long> recent = failures.computeIfAbsent(address, (key) -> new ArrayDeque<>());
        synchronized (recent) {
            recent.addLast(System.nanoTime());
            while (recent.size() > maxFailures) {
                recent.pollFirst(); // only the last max-failures matter
            }
        }
    }
}
