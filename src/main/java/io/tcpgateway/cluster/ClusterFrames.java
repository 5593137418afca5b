package io.tcpgateway.cluster;

import io.tcpgateway.connection.GatewayListener;
import io.tcpgateway.connection.Peer;
import io.tcpgateway.listener.BroadcastRelay;
import io.tcpgateway.listener.ListenerRegistrar;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessagingException;

/**
 * Broadcast frames across pods.
 * <p>
 * Out: {@link #relay} collects the frames a sender's reader handles in one read burst and, when the burst
 * ends ({@link Peer#atEndOfReadBurst}), wraps them with this node's id in one {@link FrameEnvelope} and gives
 * it to the {@link PipelinedPublisher}: one {@code PUBLISH} per burst (up to {@link #BURST_BYTES}), issued by
 * the reader itself while connected, or through the publish channel, whose single thread and bounded queue
 * connect and keep relay order. A sender's frames are relayed by its one reader thread, so they are
 * published, and delivered on every pod, in the order it sent them. A full queue (Redis slow or away)
 * refuses the burst at once: its frames count as publish failures and the reader goes on; Redis never
 * stalls a reader. While pods of an older build listen ({@link OlderPods}), a listener's frames go as those
 * pods read them instead: one a message, on the frames channel, at once.
 * <p>
 * In: {@link #received} and {@link #receivedBurst} run on the Redis subscription's thread, in arrival order,
 * and hand the frames from another pod to the outbound queues of this pod's peers of the same listener, a
 * burst's frames to each peer at once (one writer start, so they can leave in one write).
 */
final class ClusterFrames implements BroadcastRelay {

    static final String LISTENER_HEADER = "gateway_listener";
    static final String TOPIC_HEADER = "gateway_topic";
    static final String FRAMES_HEADER = "gateway_frames";
    /** A burst is published once its payloads reach this much, and a new one begun: Redis messages stay small. */
    static final int BURST_BYTES = 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(ClusterFrames.class);

    private final MessageChannel publishChannel;
    private final PipelinedPublisher publisher;
    private final ClusterChannels channels;
    private final byte[] origin;
    private final ListenerRegistrar listeners;
    private final ClusterMetrics metrics;
    private final OlderPods olderPods;
    /** The reason given for frames refused over max-pending-frames: made once, it is only ever logged by its message. */
    private final IllegalStateException backlogFull;
    private final AtomicBoolean failing = new AtomicBoolean();
    /** The burst each sender's reader is collecting; written and read by that reader's thread only. */
    private final Map<Peer, SenderBurst> bursts = new ConcurrentHashMap<>();

    ClusterFrames(MessageChannel publishChannel, RedisConnectionFactory frameConnection, ClusterChannels channels,
            ListenerRegistrar listeners, ClusterMetrics metrics, OlderPods olderPods, int maxPendingFrames) {
        this.publishChannel = publishChannel;
        this.publisher = new PipelinedPublisher(frameConnection, this, maxPendingFrames);
        this.backlogFull = new IllegalStateException("gateway.cluster.max-pending-frames (" + maxPendingFrames
                + ") frames wait for Redis already");
        this.channels = channels;
        this.origin = FrameEnvelope.originBytes(channels.nodeId());
        this.listeners = listeners;
        this.metrics = metrics;
        this.olderPods = olderPods;
    }

    /** The end of the publish flow. */
    PipelinedPublisher publisher() {
        return publisher;
    }

    @Override
    public void relay(GatewayListener listener, byte[] payload, Peer sender) {
        SenderBurst burst = bursts.get(sender);
        if (olderPods.listenOn(listener.name())) {
            if (burst != null) {
                burst.run(); // begun before older pods appeared: its frames go first, order kept
            }
            publish(listener, channels.frames(listener.name()), FrameEnvelope.encode(origin, payload), 1);
            return;
        }
        if (burst == null) {
            burst = new SenderBurst(sender, listener);
            bursts.put(sender, burst);
            sender.atEndOfReadBurst(burst);
        }
        burst.add(payload);
    }

    /** The frames one sender's reader relayed in one read burst; published when it ends, or when full. */
    private final class SenderBurst implements Runnable {

        private final Peer sender;
        private final GatewayListener listener;
        private final List<byte[]> payloads = new ArrayList<>(8);
        private int bytes;

        SenderBurst(Peer sender, GatewayListener listener) {
            this.sender = sender;
            this.listener = listener;
        }

        void add(byte[] payload) {
            payloads.add(payload);
            bytes += payload.length;
            if (bytes >= BURST_BYTES) {
                run(); // the end of the burst then finds this one gone and empty; the next frame begins another
            }
        }

        /** The end of the read burst: published, and forgotten. */
        @Override
        public void run() {
            bursts.remove(sender, this);
            if (!payloads.isEmpty()) {
                publish(listener, channels.bursts(listener.name()), FrameEnvelope.encodeBurst(origin, payloads, bytes),
                        payloads.size());
                payloads.clear();
                bytes = 0;
            }
        }
    }

    private void publish(GatewayListener listener, String topic, byte[] envelope, int frameCount) {
        if (!publisher.reserve(frameCount)) {
            publishFailed(listener.name(), frameCount, backlogFull);
            return;
        }
        if (publisher.publishNow(topic, listener.name(), envelope, frameCount)) {
            return;
        }
        Message<byte[]> message = MessageBuilder.withPayload(envelope)
                .setHeader(TOPIC_HEADER, topic)
                .setHeader(LISTENER_HEADER, listener.name())
                .setHeader(FRAMES_HEADER, frameCount)
                .build();
        publisher.handingOver();
        try {
            publishChannel.send(message);
        }
        catch (MessagingException queueFull) {
            publisher.notHandedOver();
            publisher.release(frameCount);
            publishFailed(listener.name(), frameCount, queueFull);
        }
    }

    void published(String listener, int frameCount) {
        metrics.published(listener).increment(frameCount);
        if (failing.get() && failing.compareAndSet(true, false)) { // a read per burst, a write only on recovery
            log.info("Cluster: publishing broadcast frames to Redis again");
        }
    }

    /** Logged once per outage, not per frame; the failures meter counts every frame. */
    void publishFailed(String listener, int frameCount, Throwable cause) {
        metrics.failures(listener).increment(frameCount);
        if (failing.compareAndSet(false, true)) {
            log.warn("Cluster: broadcast frames are not reaching the other pods ({}); local peers still get them",
                    rootMessage(cause));
        }
    }

    /** One frame a message, as pods before bursts publish them. */
    void received(byte[] bytes, String channel) {
        FrameEnvelope envelope = FrameEnvelope.decode(bytes);
        GatewayListener listener = (envelope == null) ? null : fromOtherPod(envelope, channel);
        if (envelope != null && listener != null) {
            metrics.received(listener.name()).increment();
            listener.deliverToAll(listener.codec().encode(envelope.payloads().getFirst()));
        }
    }

    void receivedBurst(byte[] bytes, String channel) {
        if (FrameEnvelope.isFrom(bytes, origin)) {
            return; // our own burst back from Redis: not even decoded
        }
        FrameEnvelope envelope = FrameEnvelope.decodeBurst(bytes);
        GatewayListener listener = (envelope == null) ? null : fromOtherPod(envelope, channel);
        if (envelope != null && listener != null) {
            List<byte[]> payloads = envelope.payloads();
            List<byte[]> wireFrames = new ArrayList<>(payloads.size());
            for (byte[] payload : payloads) {
                wireFrames.add(listener.codec().encode(payload));
            }
            metrics.received(listener.name()).increment(wireFrames.size());
            listener.deliverAllToAll(wireFrames);
        }
    }

    /** The listener the envelope's frames go to; null for our own frames or a listener this pod does not have. */
    private @Nullable GatewayListener fromOtherPod(FrameEnvelope envelope, String channel) {
        if (envelope.origin().equals(channels.nodeId())) {
            return null; // our own frame back from Redis: the local peers have it already
        }
        // Null for a listener this pod does not have (configurations differ between pods).
        return listeners.listener(channels.listenerOf(channel));
    }

    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
