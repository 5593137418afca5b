package io.tcpgateway.cluster;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The {@code cluster} health component: UP while Redis answers and this pod's subscription is live,
 * with this pod's node id and how many pods are subscribed; DOWN (with the reason) otherwise. It is
 * in neither the liveness nor the readiness group: a pod without Redis still serves its own peers.
 * Not an {@code AbstractHealthIndicator}: that one logs a warning with a stack trace at every probe
 * that fails, which while Redis is away would be one per probe period; the outage is logged once, by
 * {@link ClusterSubscription} and {@link ClusterFrames}, and the reason is in this component's details.
 */
final class ClusterHealthIndicator implements HealthIndicator {

    private final RedisConnectionFactory connectionFactory;
    private final ClusterChannels channels;

    ClusterHealthIndicator(RedisConnectionFactory connectionFactory, ClusterChannels channels) {
        this.connectionFactory = connectionFactory;
        this.channels = channels;
    }

    @Override
    public Health health() {
        try (RedisConnection connection = connectionFactory.getConnection()) {
            connection.ping();
            Map<String, Long> subscribers = subscribers(connection, channels.adminFor(channels.nodeId()), channels.adminAll());
            if (subscribers.getOrDefault(channels.adminFor(channels.nodeId()), 0L) == 0) {
                // Redis answers but this pod does not hear it (yet): other pods' frames would not arrive.
                return Health.down().withDetail("node", channels.nodeId())
                        .withDetail("error", "not subscribed to Redis (yet); retrying").build();
            }
            return Health.up().withDetail("node", channels.nodeId())
                    .withDetail("nodes", subscribers.getOrDefault(channels.adminAll(), 0L)).build();
        }
        catch (RuntimeException ex) {
            return Health.down().withDetail("node", channels.nodeId())
                    .withDetail("error", ClusterFrames.rootMessage(ex)).build();
        }
    }

    /**
     * PUBSUB NUMSUB: how many clients listen on each channel. This pod's own admin channel tells whether
     * its subscription is live; the admin channel of every pod counts the pods.
     */
    private static Map<String, Long> subscribers(RedisConnection connection, String... channelNames) {
        // Spring Data's generic execute() cannot read NUMSUB's mixed reply; Lettuce's own command can.
        @SuppressWarnings("unchecked")
        RedisClusterAsyncCommands<byte[], byte[]> lettuce =
                (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
        byte[][] names = new byte[channelNames.length][];
        for (int i = 0; i < channelNames.length; i++) {
            names[i] = channelNames[i].getBytes(StandardCharsets.UTF_8);
        }
        try {
            Map<String, Long> counts = new HashMap<>();
            lettuce.pubsubNumsub(names).get(2, TimeUnit.SECONDS)
                    .forEach((name, count) -> counts.put(new String(name, StandardCharsets.UTF_8), count));
            return counts;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("PUBSUB NUMSUB failed: " + ClusterFrames.rootMessage(ex), ex);
        }
    }
}
