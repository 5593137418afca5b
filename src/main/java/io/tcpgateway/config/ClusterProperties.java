package io.tcpgateway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Several pods joined through Redis pub/sub ({@code gateway.cluster.*}); the Redis connection itself
 * is Spring Boot's {@code spring.data.redis.*}.
 *
 * @param enabled join the other pods; off by default
 * @param nodeId this pod's name in the cluster and in its connection ids; defaults to the host name
 *     (the pod name in Kubernetes). Letters, digits, {@code .}, {@code _} and {@code -} (checked by
 *     {@link GatewayPropertiesValidator}, as are the others)
 * @param channelPrefix prefix of every Redis channel the gateway uses, so that separate gateway
 *     deployments can share one Redis
 * @param requestTimeout how long an admin call waits for the other pods
 * @param maxPendingFrames broadcast frames waiting to be published to Redis; beyond that (Redis slow
 *     or away) frames are not sent across and count as publish failures, so readers never wait on Redis
 */
public record ClusterProperties(
        boolean enabled,
        @Nullable String nodeId,
        @DefaultValue("tcp-gateway") String channelPrefix,
        @DefaultValue("2s") Duration requestTimeout,
        @DefaultValue("10000") int maxPendingFrames) {

    public ClusterProperties {
        if (nodeId == null || nodeId.isBlank()) {
            nodeId = hostName();
        }
    }

    /** What a connection id ends with: nothing on a single pod, {@code .<node-id>} in a cluster. */
    public String connectionIdSuffix() {
        return enabled ? "." + nodeId : "";
    }

    @Override
    public String nodeId() {
        return Objects.requireNonNull(nodeId);
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME"); // the pod name in Kubernetes
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException ex) {
            return "node";
        }
    }
}
