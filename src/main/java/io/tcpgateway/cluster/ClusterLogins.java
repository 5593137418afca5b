package io.tcpgateway.cluster;

import io.tcpgateway.admin.AdminCall.Replace;
import io.tcpgateway.config.DuplicatePrincipal;
import io.tcpgateway.principal.RemoteLogins;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * {@code duplicate-principal} across pods, decided in Redis in one step. Who holds a principal on a
 * {@code replace} or {@code refuse} listener is the hash {@code <prefix>:holders:<listener>:<principal>}
 * (connection id → {@code <node>|<incarnation>}); a login runs one script that drops the holders whose pod is gone,
 * refuses ({@code refuse}) or removes and returns the other pods' holders ({@code replace}), and records the new
 * one: two logins of one principal on two pods at the same moment are decided one after the other by Redis. The
 * pods of replaced connections are told to close them ({@code ERROR replaced}) without waiting for an answer.
 *
 * <p>A pod is alive while its key {@code <prefix>:node:<node>} holds the incarnation it wrote at start (renewed
 * every {@link #ALIVE_EVERY}, expiring after {@link #ALIVE_FOR}): the holders a crashed pod left behind stop
 * counting once its key has expired, and a pod restarted under the same name has another incarnation. A holder that
 * closes is removed on a thread of its own, so a closing connection never waits on Redis (and again until Redis
 * takes it, when it was away). Redis away: a login is
 * decided on its pod alone (logged), as broadcasts go on locally.
 */
final class ClusterLogins implements RemoteLogins, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ClusterLogins.class);

    static final Duration ALIVE_EVERY = Duration.ofSeconds(2);
    static final Duration ALIVE_FOR = Duration.ofSeconds(7);
    static final int MAX_UNRELEASED = 100_000;

    /** {1, (connection, node)...}: recorded, with the other pods' holders it replaced; {0}: refused. */
    private static final RedisScript<List> CLAIM = RedisScript.of("""
            local me, policy, alive = ARGV[2], ARGV[3], ARGV[4]
            local entries = redis.call('HGETALL', KEYS[1])
            local others = {}
            for i = 1, #entries, 2 do
              local connection, holder = entries[i], entries[i + 1]
              if holder ~= me then
                local node, incarnation = string.match(holder, '^(.*)|([^|]*)$')
                if node == nil or redis.call('GET', alive .. node) ~= incarnation then
                  redis.call('HDEL', KEYS[1], connection)
                else
                  others[#others + 1] = connection
                  others[#others + 1] = node
                end
              end
            end
            if policy == 'refuse' and #others > 0 then return {0} end
            local out = {1}
            for i = 1, #others, 2 do
              redis.call('HDEL', KEYS[1], others[i])
              out[#out + 1] = others[i]
              out[#out + 1] = others[i + 1]
            end
            redis.call('HSET', KEYS[1], ARGV[1], me)
            return out
            """, List.class);

    private final StringRedisTemplate redis;
    private final ClusterChannels channels;
    private final ClusterAdmin admin;
    private final String me;
    private final String incarnation = UUID.randomUUID().toString();
    private final ScheduledFuture<?> alive;
    private final BlockingQueue<Holder> unreleased = new ArrayBlockingQueue<>(MAX_UNRELEASED);
    private final ThreadPoolExecutor releases = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(100_000), new CustomizableThreadFactory("cluster-logins-"), new ThreadPoolExecutor.AbortPolicy());

    ClusterLogins(StringRedisTemplate redis, ClusterChannels channels, ClusterAdmin admin, TaskScheduler scheduler) {
        this.redis = redis;
        this.channels = channels;
        this.admin = admin;
        this.me = channels.nodeId() + "|" + incarnation;
        this.alive = scheduler.scheduleAtFixedRate(this::stillAlive, ALIVE_EVERY);
    }

    /** Renews this pod's liveness key, then retries the releases Redis refused (it was away). */
    private void stillAlive() {
        try {
            redis.opsForValue().set(channels.alive(channels.nodeId()), incarnation, ALIVE_FOR);
        }
        catch (RuntimeException redisFailure) {
            log.debug("Cluster: could not renew {} ({})", channels.alive(channels.nodeId()), ClusterFrames.rootMessage(redisFailure));
            return;
        }
        for (Holder holder = unreleased.poll(); holder != null; holder = unreleased.poll()) {
            if (!forget(holder)) {
                retryLater(holder);
                return;
            }
        }
    }

    @Override
    public boolean claim(String listener, String principal, String connectionId, DuplicatePrincipal policy) {
        List<?> result;
        try {
            result = redis.execute(CLAIM, List.of(channels.holders(listener, principal)), connectionId, me,
                    policy.configName(), channels.alive(""));
        }
        catch (RuntimeException redisFailure) {
            log.warn("Cluster: login of {} on listener {} decided on this pod alone: {}", connectionId, listener,
                    ClusterFrames.rootMessage(redisFailure));
            return true;
        }
        if (result == null || result.isEmpty() || "0".equals(String.valueOf(result.get(0)))) {
            return false;
        }
        for (int i = 1; i + 1 < result.size(); i += 2) {
            admin.tell(String.valueOf(result.get(i + 1)), new Replace(String.valueOf(result.get(i))));
        }
        return true;
    }

    /**
     * Removes the holder on a thread of its own; one that Redis refused (it was away) is retried every
     * {@link #ALIVE_EVERY} until it is gone: a holder left behind by a live pod would refuse its principal
     * ({@code refuse}) on every other pod for as long as the pod lives. At most {@link #MAX_UNRELEASED} wait.
     */
    @Override
    public void release(String listener, String principal, String connectionId) {
        Holder holder = new Holder(channels.holders(listener, principal), connectionId);
        try {
            releases.execute(() -> {
                if (!forget(holder)) {
                    retryLater(holder);
                }
            });
        }
        catch (RejectedExecutionException full) {
            retryLater(holder);
        }
    }

    private void retryLater(Holder holder) {
        if (!unreleased.offer(holder)) {
            log.warn("Cluster: {} holders wait for Redis to be released already; {} is left behind (it stops counting"
                    + " when this pod stops)", MAX_UNRELEASED, holder.connectionId());
        }
    }

    private boolean forget(Holder holder) {
        try {
            redis.opsForHash().delete(holder.key(), holder.connectionId());
            return true;
        }
        catch (RuntimeException redisFailure) {
            log.debug("Cluster: could not release {} yet ({})", holder.connectionId(), ClusterFrames.rootMessage(redisFailure));
            return false;
        }
    }

    /** One connection's field in a principal's holders. */
    private record Holder(String key, String connectionId) {
    }

    @Override
    public void destroy() {
        alive.cancel(false);
        releases.shutdown();
        try {
            releases.awaitTermination(2, TimeUnit.SECONDS); // the drain's closes, released before the pod goes
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
