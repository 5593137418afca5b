package io.tcpgateway.cluster;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.scheduling.TaskScheduler;

/**
 * Which broadcast listeners pods of an older build still listen on, so that a rolling upgrade keeps every
 * broadcast reaching every pod. Builds before read bursts subscribe to {@code <prefix>:frames:<listener>} and
 * read each message there as one frame; they would deliver a burst envelope as one garbled frame, and they
 * do not hear {@code <prefix>:bursts:<listener>}. This build hears the frames channel through a pattern
 * (which {@code PUBSUB NUMSUB} does not count), so the channel's subscribers are exactly the older pods:
 * while it has any, this pod publishes that listener's frames there one by one, as they do
 * ({@link ClusterFrames}); once none is left, in bursts.
 *
 * <p>Asked every {@link #EVERY} with an asynchronous command: the gateway's scheduler, which also runs the
 * heartbeat, never waits on Redis. Until the first answer (and while Redis is away at start) every listener
 * counts as having older pods: one frame a message reaches every build. A pod of an older build that joins
 * later (a rollback) misses this pod's bursts until the next answer, at most {@link #EVERY}.
 */
final class OlderPods implements DisposableBean {

    static final Duration EVERY = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(OlderPods.class);

    private final RedisConnectionFactory connectionFactory;
    private final ClusterChannels channels;
    private final List<String> listeners;
    private final byte[][] framesChannels;
    private volatile Set<String> listenedOn;
    private final ScheduledFuture<?> asking;

    OlderPods(RedisConnectionFactory connectionFactory, ClusterChannels channels, List<String> broadcastListeners,
            TaskScheduler scheduler) {
        this.connectionFactory = connectionFactory;
        this.channels = channels;
        this.listeners = List.copyOf(broadcastListeners);
        this.framesChannels = listeners.stream().map((listener) -> channels.frames(listener).getBytes(StandardCharsets.UTF_8))
                .toArray(byte[][]::new);
        this.listenedOn = Set.copyOf(listeners);
        this.asking = scheduler.scheduleAtFixedRate(this::ask, EVERY);
    }

    /** Whether pods of an older build listen on this listener's frames: then its frames go one a message. */
    boolean listenOn(String listener) {
        return listenedOn.contains(listener);
    }

    private void ask() {
        if (framesChannels.length == 0) {
            return;
        }
        try (RedisConnection connection = connectionFactory.getConnection()) { // its factory's shared connection: not closed
            @SuppressWarnings("unchecked")
            RedisClusterAsyncCommands<byte[], byte[]> lettuce =
                    (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
            lettuce.pubsubNumsub(framesChannels).whenComplete((counts, failure) -> {
                if (failure == null) {
                    answered(counts);
                }
            });
        }
        catch (RuntimeException redisAway) { // asked again in EVERY; until then, as before
            log.debug("Cluster: could not ask Redis for older pods ({})", ClusterFrames.rootMessage(redisAway));
        }
    }

    private void answered(Map<byte[], Long> counts) {
        Set<String> now = new HashSet<>();
        counts.forEach((channel, subscribers) -> {
            if (subscribers > 0) {
                now.add(channels.listenerOf(new String(channel, StandardCharsets.UTF_8)));
            }
        });
        Set<String> before = listenedOn;
        if (now.equals(before)) {
            return;
        }
        listenedOn = Set.copyOf(now);
        for (String listener : listeners) {
            if (before.contains(listener) && !now.contains(listener)) {
                log.info("Cluster: listener {}: every pod reads bursts; its frames cross in one message per read burst",
                        listener);
            }
            else if (!before.contains(listener) && now.contains(listener)) {
                log.info("Cluster: listener {}: a pod of an older build listens; its frames cross one a message until "
                        + "it is gone", listener);
            }
        }
    }

    @Override
    public void destroy() {
        asking.cancel(false);
    }
}
