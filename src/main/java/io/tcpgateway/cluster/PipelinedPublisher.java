package io.tcpgateway.cluster;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;

/**
 * One {@code PUBLISH} per frame on the frame's listener channel, sent without waiting for Redis's reply,
 * so frames go out pipelined on a Lettuce connection of their own ({@link FrameConnection}). Spring
 * Integration's {@code RedisPublishingMessageHandler} waits for each reply; with it one pod published about
 * 4 000 frames/s across (bench/, "Running several pods" in docs/kubernetes.md), one round trip per frame.
 * Replies are counted as they come back (published, or a publish failure); how many may be outstanding is
 * bounded by Lettuce's request queue ({@code gateway.cluster.max-pending-frames}).
 *
 * <p>Two ways in. Once the publish thread has connected, and while nothing waits for it, a reader issues
 * its frame itself ({@link #publishNow}): Lettuce's {@code publish} only queues the command for its event
 * loop (while Redis is away, or past its request queue, Lettuce refuses it at once: see
 * {@code ClusterConfiguration}), so it never blocks, and a hand-off to another thread per frame is saved
 * (two pods' broadcast rose from 0.30× to 0.44× of one pod's with the native generator). Before that (no
 * connection yet: connecting may block for the connect timeout) the frame goes through the publish flow's
 * one thread and bounded queue ({@link #handleMessage}), which connects. Order: Lettuce writes one connection's commands
 * in the order they were issued, and a reader publishes itself only when no frame at all is still waiting
 * for the publish thread, so none of its own earlier frames can be overtaken.
 */
final class PipelinedPublisher implements MessageHandler {

    private final RedisConnectionFactory connectionFactory;
    private final ClusterFrames frames;
    /** Frames handed to the publish thread and not yet issued to Lettuce. */
    private final AtomicInteger waiting = new AtomicInteger();
    /** The connection's commands once the publish thread has connected; what readers publish on. */
    private volatile @Nullable RedisClusterAsyncCommands<byte[], byte[]> connected;

    PipelinedPublisher(RedisConnectionFactory connectionFactory, ClusterFrames frames) {
        this.connectionFactory = connectionFactory;
        this.frames = frames;
    }

    /** A reader's frame, issued on the reader's thread; false when it must go through the publish thread. */
    boolean publishNow(String topic, String listener, byte[] envelope) {
        RedisClusterAsyncCommands<byte[], byte[]> commands = connected;
        if (commands == null || waiting.get() != 0) {
            return false;
        }
        try {
            issue(commands, topic, listener, envelope);
        }
        catch (RuntimeException refused) { // Lettuce's request queue is full (Redis slow or away): at once, never a wait
            frames.publishFailed(listener, refused);
        }
        return true;
    }

    /** A frame is about to be handed to the publish thread (undone with {@link #notHandedOver} if it is refused). */
    void handingOver() {
        waiting.incrementAndGet();
    }

    void notHandedOver() {
        waiting.decrementAndGet();
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
            issue(commands, topic, listener, (byte[]) message.getPayload());
            connected = commands;
        }
        catch (RuntimeException unreachable) { // no connection at all (Redis away): refused at once
            frames.publishFailed(listener, unreachable);
        }
        finally {
            waiting.decrementAndGet();
        }
    }

    private void issue(RedisClusterAsyncCommands<byte[], byte[]> commands, String topic, String listener, byte[] envelope) {
        commands.publish(topic.getBytes(StandardCharsets.UTF_8), envelope).whenComplete((receivers, failure) -> {
            if (failure == null) {
                frames.published(listener);
            }
            else {
                frames.publishFailed(listener, failure);
            }
        });
    }
}
