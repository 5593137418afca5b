package io.tcpgateway.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import io.tcpgateway.admin.LocalAdmin;
import io.tcpgateway.ban.BanList;
import io.tcpgateway.config.GatewayProperties;
import io.tcpgateway.config.ListenerProperties;
import io.tcpgateway.config.Mode;
import io.tcpgateway.connection.ConnectionExecutors;
import io.tcpgateway.connection.PeerRegistry;
import io.tcpgateway.listener.ListenerRegistrar;
import io.tcpgateway.principal.LocalPrincipals;
import io.tcpgateway.principal.PrincipalMetrics;
import io.tcpgateway.principal.QueueBounds;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.integration.channel.ExecutorChannel;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.integration.redis.support.RedisHeaders;
import org.springframework.messaging.MessageHandler;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * CONTRACT section 10, present only with {@code gateway.cluster.enabled: true}: the frame bridge
 * (publish out, subscribe in), admin calls and bans between pods, principals' queues and logins (section 14), the {@code cluster} health component and its
 * meters: Spring Integration flows and its Redis inbound adapter over Spring Boot's Redis connection
 * ({@code spring.data.redis.*}); frames go out through {@link PipelinedPublisher}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "gateway.cluster", name = "enabled", havingValue = "true")
public class ClusterConfiguration {

    @Bean
    ClusterChannels clusterChannels(GatewayProperties properties) {
        return ClusterChannels.of(properties.cluster());
    }

    /**
     * Lettuce refuses commands at once while disconnected instead of buffering them until it
     * reconnects: a publish while Redis is away fails (and is counted) rather than waiting, and no stale
     * backlog floods the other pods when Redis returns. Reconnection stays automatic.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer clusterLettuceOptions(GatewayProperties properties) {
        // The request queue bounds the frames published but not yet answered (a slow Redis): beyond it
        // a publish fails at once instead of piling up in memory.
        return (options) -> options.autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(properties.cluster().maxPendingFrames());
    }

    @Bean
    ClusterMetrics clusterMetrics(MeterRegistry registry, GatewayProperties properties) {
        return new ClusterMetrics(registry, broadcastListeners(properties));
    }

    /**
     * One thread and a bounded queue between the readers and Redis while there is no open connection (it
     * connects, which may block): the queue keeps frames in relay order, and when it is full (Redis slow or
     * away) a frame is refused at once instead of blocking.
     */
    @Bean(destroyMethod = "shutdownNow")
    ThreadPoolExecutor clusterPublishExecutor(GatewayProperties properties) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(properties.cluster().maxPendingFrames()),
                new CustomizableThreadFactory("cluster-publish-"), new ThreadPoolExecutor.AbortPolicy());
    }

    @Bean
    ExecutorChannel clusterPublishChannel(ThreadPoolExecutor clusterPublishExecutor) {
        return new ExecutorChannel(clusterPublishExecutor);
    }

    @Bean
    ClusterFrames clusterFrames(ExecutorChannel clusterPublishChannel, FrameConnection clusterFrameConnection,
            ClusterChannels channels, ListenerRegistrar listeners, ClusterMetrics metrics, OlderPods olderPods,
            GatewayProperties properties) {
        return new ClusterFrames(clusterPublishChannel, clusterFrameConnection.factory(), channels, listeners, metrics,
                olderPods, properties.cluster().maxPendingFrames());
    }

    @Bean
    OlderPods clusterOlderPods(RedisConnectionFactory connectionFactory, ClusterChannels channels,
            GatewayProperties properties, ConnectionExecutors executors) {
        return new OlderPods(connectionFactory, channels, broadcastListeners(properties), executors.scheduler());
    }

    @Bean
    FrameConnection clusterFrameConnection(RedisConnectionFactory connectionFactory) {
        return FrameConnection.beside(connectionFactory);
    }

    /**
     * Relay queue ─▶ one pipelined PUBLISH per frame, on the frame's listener channel, on a connection of its
     * own (while connected, readers publish themselves: {@link PipelinedPublisher#publishNow}).
     */
    @Bean
    IntegrationFlow clusterPublishFlow(ExecutorChannel clusterPublishChannel, ClusterFrames frames) {
        return IntegrationFlow.from(clusterPublishChannel)
                .handle(frames.publisher())
                .get();
    }

    /**
     * One subscription for everything this pod hears: each broadcast listener's burst and frame channels, the
     * admin channel of every pod, this pod's own admin channel, its reply channel and the bans channel.
     * Frames go to the local peers, bans to {@link ClusterBans}, admin messages to {@link ClusterAdmin};
     * once subscribed, the pod reads the bans already in force. Started by {@link ClusterSubscription}, not
     * with the context, so a pod starts (and serves) while Redis is away.
     */
    @Bean
    ClusterSubscription clusterSubscription(RedisConnectionFactory connectionFactory, IntegrationFlowContext flows,
            GatewayProperties properties, ClusterChannels channels, ClusterFrames frames, ClusterAdmin admin,
            ClusterBans bans) {
        List<String> topics = new ArrayList<>();
        List<String> patterns = new ArrayList<>();
        broadcastListeners(properties).forEach((listener) -> {
            topics.add(channels.bursts(listener));
            patterns.add(channels.framesPattern(listener)); // older builds' frames, heard but not counted (OlderPods)
        });
        topics.addAll(List.of(channels.adminAll(), channels.adminFor(channels.nodeId()), channels.repliesFor(channels.nodeId()),
                channels.bans()));
        MessageHandler receiver = (message) -> {
            String channel = String.valueOf(message.getHeaders().get(RedisHeaders.MESSAGE_SOURCE));
            byte[] body = (byte[]) message.getPayload();
            if (channels.isBursts(channel)) {
                frames.receivedBurst(body, channel);
            }
            else if (channels.isFrames(channel)) {
                frames.received(body, channel);
            }
            else if (channel.equals(channels.bans())) {
                bans.received(new String(body, StandardCharsets.UTF_8));
            }
            else {
                admin.received(new String(body, StandardCharsets.UTF_8), channel);
            }
        };
        return new ClusterSubscription(connectionFactory, flows, topics, patterns, receiver, bans::loadStored);
    }

    /** After Redis was out of reach: this pod's unsent bans out, the others' in, queued messages delivered. */
    @Bean
    ClusterResync clusterResync(RedisConnectionFactory connectionFactory, ClusterBans bans, LocalPrincipals principals,
            PeerRegistry peers, @Qualifier(ConnectionExecutors.GATEWAY_SCHEDULER) TaskScheduler scheduler) {
        ClientResources resources = (connectionFactory instanceof LettuceConnectionFactory lettuce)
                ? lettuce.getClientConfiguration().getClientResources().orElse(null) : null;
        return new ClusterResync(resources, bans, principals, peers, scheduler);
    }

    @Bean
    ClusterBans clusterBans(StringRedisTemplate redis, JsonMapper json, ClusterChannels channels, BanList bans,
            MeterRegistry meters) {
        return new ClusterBans(redis, json, channels, bans, meters);
    }

    @Bean
    ClusterAdmin clusterAdmin(StringRedisTemplate redis, JsonMapper json, ClusterChannels channels,
            GatewayProperties properties, LocalAdmin local) {
        return new ClusterAdmin(redis, json, channels, properties.cluster().requestTimeout(), local);
    }

    /** The offline queues of principals, in Redis (CONTRACT section 14). */
    @Bean
    RedisPrincipalQueue redisPrincipalQueue(StringRedisTemplate redis, JsonMapper json, ClusterChannels channels,
            GatewayProperties properties, ConnectionExecutors executors, PrincipalMetrics metrics) {
        return new RedisPrincipalQueue(redis, json, channels, QueueBounds.of(properties.principals().queue()),
                executors.scheduler().getClock(), metrics);
    }

    /** {@code duplicate-principal} across pods. */
    @Bean
    ClusterLogins clusterLogins(StringRedisTemplate redis, ClusterChannels channels, ClusterAdmin admin,
            ConnectionExecutors executors) {
        return new ClusterLogins(redis, channels, admin, executors.scheduler());
    }

    @Bean
    ClusterHealthIndicator clusterHealthIndicator(RedisConnectionFactory connectionFactory, ClusterChannels channels) {
        return new ClusterHealthIndicator(connectionFactory, channels);
    }

    private static List<String> broadcastListeners(GatewayProperties properties) {
        return properties.listeners().stream().filter((listener) -> listener.mode() == Mode.BROADCAST)
                .map(ListenerProperties::name).toList();
    }
}
