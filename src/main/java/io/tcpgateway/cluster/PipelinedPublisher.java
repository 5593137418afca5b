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
 * One {@code PUBLISH} per envelope (a read burst, or one frame) on its listener's channel, sent without waiting
 * for Redis's reply, so envelopes go out pipelined on a Lettuce connection of their own ({@link FrameConnection}). Spring
 * Integration's {@code RedisPublishingMessageHandler} waits for each reply; with it one pod published about
 * 4 000 frames/s across (bench/, "Running several pods" in docs/kubernetes.md), one round trip per frame.
 * Replies are counted as they come back (published, or a publish failure). How many frames may be outstanding,
 * handed over or issued and not yet answered, is {@code gateway.cluster.max-pending-frames} ({@link #reserve}),
 * counted in frames whatever the envelopes carry, so the bound means what it says and memory stays bounded when
 * Redis is slow; Lettuce's request queue, of the same size, counts commands and is never the first to refuse.
 *
 * <p>Two ways in. Once the publish thread has connected, and while nothing waits for it, a reader issues
 * its envelope itself ({@link #publishNow}): Lettuce's {@code publish} only queues the command for its event
 * loop (while Redis is away, or past its request queue, Lettuce refuses it at once: see
 * {@code ClusterConfiguration}), so it never blocks, and a hand-off to another thread per envelope is saved
 * (two pods' broadcast rose from 0.30× to 0.44× of one pod's with the native generator). Before that (no
 * connection yet: connecting may block for the connect timeout) the envelope goes through the publish flow's
 * one thread and bounded queue ({@link #handleMessage}), which connects. Order: Lettuce writes one connection's
 * commands in the order they were issued, and a reader publishes itself only when no envelope at all is still
 * waiting for the publish thread, so none of its own earlier frames can be overtaken.
 */
final class PipelinedPublisher implements MessageHandler {

    private final RedisConnectionFactory connectionFactory;
    private final ClusterFrames frames;
    /** Envelopes handed to the publish thread and not yet issued to Lettuce. */
    private final AtomicInteger waiting = new AtomicInteger();
    /** Frames reserved and not yet answered by Redis (or refused). */
    private final AtomicInteger pendingFrames = new AtomicInteger();
    private final int maxPendingFrames;
    /** The connection's commands once the publish thread has connected; what readers publish on. */
    private volatile @Nullable RedisClusterAsyncCommands<byte[], byte[]> connected;

    PipelinedPublisher(RedisConnectionFactory connectionFactory, ClusterFrames frames, int maxPendingFrames) {
        this.connectionFactory = connectionFactory;
        this.frames = frames;
        this.maxPendingFrames = maxPendingFrames;
    }

    /**
     * Takes {@code frameCount} frames for Redis unless {@code max-pending-frames} already wait for it; false
     * refuses them. An envelope with more frames than the bound goes when nothing else waits.
     */
    boolean reserve(int frameCount) {
        int now = pendingFrames.addAndGet(frameCount);
        if (now > maxPendingFrames && now != frameCount) {
            pendingFrames.addAndGet(-frameCount);
            return false;
        }
        return true;
    }

    /** Reserved frames that Redis answered, or that were refused after all. */
    void release(int frameCount) {
        pendingFrames.addAndGet(-frameCount);
    }

    /** A reader's envelope, issued on the reader's thread; false when it must go through the publish thread. */
    boolean publishNow(String topic, String listener, byte[] envelope, int frameCount) {
        RedisClusterAsyncCommands<byte[], byte[]> commands = connected;
        if (commands == null || waiting.get() != 0) {
            return false;
        }
        try {
            issue(commands, topic, listener, envelope, frameCount);
        }
        catch (RuntimeException refused) { // Lettuce's request queue is full (Redis slow or away): at once, never a wait
            release(frameCount);
            frames.publishFailed(listener, frameCount, refused);
        }
        return true;
    }

    /** An envelope is about to be handed to the publish thread (undone with {@link #notHandedOver} if it is refused). */
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
        int frameCount = Objects.requireNonNull(message.getHeaders().get(ClusterFrames.FRAMES_HEADER, Integer.class));
        try (RedisConnection connection = connectionFactory.getConnection()) { // its factory's shared connection: not closed
            @SuppressWarnings("unchecked")
            RedisClusterAsyncCommands<byte[], byte[]> commands =
                    (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
            issue(commands, topic, listener, (byte[]) message.getPayload(), frameCount);
            connected = commands;
        }
        catch (RuntimeException unreachable) { // no connection at all (Redis away): refused at once
            release(frameCount);
            frames.publishFailed(listener, frameCount, unreachable);
        }
        finally {
            waiting.decrementAndGet();
        }
    }

    private void issue(RedisClusterAsyncCommands<byte[], byte[]> commands, String topic, String listener, byte[] envelope,
            int frameCount) {
        commands.publish(topic.getBytes(StandardCharsets.UTF_8), envelope).whenComplete((receivers, failure) -> {
            release(frameCount);
            if (failure == null) {
                frames.published(listener, frameCount);
            }
            else {
                frames.publishFailed(listener, frameCount, failure);
            }
        });
    }
}
