package io.tcpgateway.kafka;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.core.NestedExceptionUtils;

/**
 * The {@code kafka} health component (CONTRACT section 15; not part of readiness: a pod whose Kafka is away still
 * takes clients, and holds their frames): UP when the cluster answers within two seconds, with its id and broker
 * count; DOWN with the reason otherwise. Either way the details say how many bytes of frames wait for Kafka and
 * how many connections' reading is paused for it. Not an {@code AbstractHealthIndicator}, which logs a stack trace
 * at every probe while Kafka is away.
 */
final class KafkaHealthIndicator implements HealthIndicator, DisposableBean {

    private static final int TIMEOUT_MS = 2000;

    private final Map<String, Object> adminConfig;
    private final ForwardStreams streams;
    private volatile @Nullable Admin admin;

    KafkaHealthIndicator(Map<String, Object> adminConfig, ForwardStreams streams) {
        this.adminConfig = adminConfig;
        this.streams = streams;
    }

    @Override
    public Health health() {
        Health.Builder health;
        try {
            DescribeClusterResult cluster = admin().describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS));
            Collection<Node> nodes = cluster.nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            health = Health.up().withDetail("clusterId", String.valueOf(cluster.clusterId().get(TIMEOUT_MS, TimeUnit.MILLISECONDS)))
                    .withDetail("brokers", nodes.size());
        }
        catch (ExecutionException | TimeoutException | RuntimeException unreachable) {
            health = Health.down().withDetail("error", String.valueOf(NestedExceptionUtils.getMostSpecificCause(unreachable).getMessage()));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            health = Health.unknown();
        }
        return health.withDetail("inFlightBytes", streams.inFlightBytes())
                .withDetail("pausedConnections", streams.pausedNow()).build();
    }

    private Admin admin() {
        Admin current = admin;
        if (current == null) {
            synchronized (this) {
                current = admin;
                if (current == null) {
                    current = Admin.create(adminConfig);
                    admin = current;
                }
            }
        }
        return current;
    }

    @Override
    public void destroy() {
        Admin current = admin;
        if (current != null) {
            current.close(java.time.Duration.ofSeconds(1));
        }
    }
}
