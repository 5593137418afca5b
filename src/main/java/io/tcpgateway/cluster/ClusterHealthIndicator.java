package io.tcpgateway.cluster;

import java.nio.charset.StandardCharsets;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The {@code cluster} health component: UP while Redis answers, with this pod's node id and how many
 * pods are subscribed to the cluster's admin channel; DOWN (with the reason) while it does not. It is
 * in neither the liveness nor the readiness group: a pod without Redis still serves its own peers.
 */
final class ClusterHealthIndicator implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(ClusterHealthIndicator.class);

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
            Health.Builder up = Health.up().withDetail("node", channels.nodeId());
            Long nodes = subscribedPods(connection);
            return (nodes != null) ? up.withDetail("nodes", nodes).build() : up.build();
        }
        catch (RuntimeException ex) {
            return Health.down().withDetail("node", channels.nodeId())
                    .withDetail("error", ClusterFrames.rootMessage(ex)).build();
        }
    }

    /** PUBSUB NUMSUB on the admin channel every pod subscribes to; null if Redis will not say. */
    private @Nullable Long subscribedPods(RedisConnection connection) {
        try {
            // Spring Data's generic execute() cannot read NUMSUB's mixed reply; Lettuce's own command can.
            @SuppressWarnings("unchecked")
            RedisClusterAsyncCommands<byte[], byte[]> lettuce =
                    (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
            Map<byte[], Long> counts = lettuce.pubsubNumsub(channels.adminAll().getBytes(StandardCharsets.UTF_8))
                    .get(2, TimeUnit.SECONDS);
            return counts.values().stream().findFirst().orElse(0L);
        }
        catch (Exception notAnswered) {
            log.debug("PUBSUB NUMSUB failed", notAnswered);
            return null;
        }
    }
}
