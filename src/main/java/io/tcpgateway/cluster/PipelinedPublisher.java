package io.tcpgateway.cluster;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;

/**
 * The end of the publish flow: one {@code PUBLISH} per frame on the frame's listener channel, sent
 * without waiting for Redis's reply, so frames queued one after another go out pipelined on a Lettuce
 * connection of their own ({@link FrameConnection}). Spring Integration's {@code RedisPublishingMessageHandler} waits for
 * each reply; with it one pod published about 4 000 frames/s across (bench/, "Running several pods"
 * in docs/kubernetes.md), one round trip per frame. Lettuce writes one connection's commands in the order they
 * were issued, and all of them are issued by the flow's one thread, so the order is the same. Replies
 * are counted as they come back (published, or a publish failure); how many may be outstanding is
 * bounded by Lettuce's request queue ({@code gateway.cluster.max-pending-frames}).
 */
final class PipelinedPublisher implements MessageHandler {

    private final RedisConnectionFactory connectionFactory;
    private final ClusterFrames frames;

    PipelinedPublisher(RedisConnectionFactory connectionFactory, ClusterFrames frames) {
        this.connectionFactory = connectionFactory;
        this.frames = frames;
    }

    @Override
    public void handleMessage(Message<?> message) {
        // Both set by ClusterFrames, which builds every message this handler sees.
        String listener = Objects.requireNonNull(message.getHeaders().get(ClusterFrames.LISTENER_HEADER, String.class));
        String topic = Objects.requireNonNull(message.getHeaders().get(ClusterFrames.TOPIC_HEADER, String.class));
        try (RedisConnection connection = connectionFactory.getConnection()) { // its factory's shared connection: not closed
            @SuppressWarnings("unchecked")
            RedisClusterAsyncCommands<byte[], byte[]> commands =
                    (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
            commands.publish(topic.getBytes(StandardCharsets.UTF_8), (byte[]) message.getPayload())
                    .whenComplete((receivers, failure) -> {
                        if (failure == null) {
                            frames.published(listener);
                        }
                        else {
                            frames.publishFailed(listener, failure);
                        }
                    });
        }
        catch (RuntimeException unreachable) { // no connection at all (Redis away): refused at once
            frames.publishFailed(listener, unreachable);
        }
    }
}
