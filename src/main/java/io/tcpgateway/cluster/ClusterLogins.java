package io.tcpgateway.cluster;

import io.tcpgateway.admin.AdminCall.LoginElsewhere;
import io.tcpgateway.admin.AdminResult;
import io.tcpgateway.config.DuplicatePrincipal;
import io.tcpgateway.principal.RemoteLogins;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * {@code duplicate-principal} across pods. While a login of a principal on a listener is decided its pod holds
 * the Redis key {@code <prefix>:login:<listener>:<principal>} ({@code SET NX} with an expiry, so a pod that dies
 * holding it lets go); a second login of it, on any pod, waits for the key (backing off from 2 ms to 50 ms) and
 * so sees the first once it has been claimed: with {@code replace} the later one wins, with {@code refuse} the
 * earlier one stays. The other pods are asked as admin calls are ({@link ClusterAdmin}). Redis away: the login is
 * decided on this pod alone (logged), as broadcasts go on locally.
 */
final class ClusterLogins implements RemoteLogins {

    private static final Logger log = LoggerFactory.getLogger(ClusterLogins.class);

    /** Deletes the key only if this login still holds it (it may have expired and been taken by another). */
    private static final RedisScript<Long> RELEASE = RedisScript.of(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", Long.class);

    private final StringRedisTemplate redis;
    private final ClusterChannels channels;
    private final ClusterAdmin admin;
    private final Duration timeout;

    ClusterLogins(StringRedisTemplate redis, ClusterChannels channels, ClusterAdmin admin, Duration timeout) {
        this.redis = redis;
        this.channels = channels;
        this.admin = admin;
        this.timeout = timeout;
    }

    @Override
    public Held hold(String listener, String principal, String connectionId) {
        String key = channels.login(listener, principal);
        long deadline = System.nanoTime() + timeout.toNanos();
        BackOffExecution backOff = backOff().start();
        try {
            // Held at most twice the request timeout: a login is decided within one (the other pods' answers).
            while (!Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(key, connectionId, timeout.multipliedBy(2)))) {
                if (System.nanoTime() > deadline) {
                    log.warn("Cluster: another login of this principal on listener {} held on for {} ms; deciding {} without"
                            + " waiting for it", listener, timeout.toMillis(), connectionId);
                    return () -> {
                    };
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backOff.nextBackOff()));
            }
        }
        catch (RuntimeException redisFailure) {
            log.warn("Cluster: login of {} on listener {} decided on this pod alone: {}", connectionId, listener,
                    ClusterFrames.rootMessage(redisFailure));
            return () -> {
            };
        }
        return () -> release(key, connectionId);
    }

    private void release(String key, String connectionId) {
        try {
            redis.execute(RELEASE, List.of(key), connectionId);
        }
        catch (RuntimeException redisFailure) { // it expires by itself
            log.debug("Cluster: could not release {} ({})", key, ClusterFrames.rootMessage(redisFailure));
        }
    }

    @Override
    public int claimElsewhere(String listener, String principal, DuplicatePrincipal policy) {
        int count = 0;
        for (AdminResult answer : admin.askOthers(new LoginElsewhere(principal, listener, policy))) {
            count += (answer instanceof AdminResult.Counted counted) ? counted.count() : 0;
        }
        return count;
    }

    private static ExponentialBackOff backOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(2, 2.0);
        backOff.setMaxInterval(50);
        return backOff;
    }
}
