package io.tcpgateway.cluster;

import io.tcpgateway.listener.BroadcastRelay;
import io.tcpgateway.connection.GatewayListener;
import io.tcpgateway.listener.ListenerRegistrar;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * Out: {@link #relay} wraps the payload with this node's id and gives it to the {@link PipelinedPublisher}:
 * one {@code PUBLISH} per frame, issued by the reader itself while connected, or through the publish
 * channel, whose single thread and bounded queue connect and keep relay order. A sender's frames are
 * relayed by its one reader thread, so they are published, and delivered on every pod, in the order it
 * sent them. A full queue (Redis slow or away) refuses the frame at once: it counts as a publish failure
 * and the reader goes on; Redis never stalls a reader.
 * <p>
 * In: {@link #received} runs on the Redis subscription's thread, in arrival order, and hands each
 * frame from another pod to the outbound queues of this pod's peers of the same listener.
 */
final class ClusterFrames implements BroadcastRelay {

    static final String LISTENER_HEADER = "gateway_listener";
    static final String TOPIC_HEADER = "gateway_topic";

    private static final Logger log = LoggerFactory.getLogger(ClusterFrames.class);

    private final MessageChannel publishChannel;
    private final PipelinedPublisher publisher;
    private final ClusterChannels channels;
    private final byte[] origin;
    private final ListenerRegistrar listeners;
    private final ClusterMetrics metrics;
    private final AtomicBoolean failing = new AtomicBoolean();

    ClusterFrames(MessageChannel publishChannel, RedisConnectionFactory frameConnection, ClusterChannels channels,
            ListenerRegistrar listeners, ClusterMetrics metrics) {
        this.publishChannel = publishChannel;
        this.publisher = new PipelinedPublisher(frameConnection, this);
        this.channels = channels;
        this.origin = FrameEnvelope.originBytes(channels.nodeId());
        this.listeners = listeners;
        this.metrics = metrics;
    }

    /** The end of the publish flow. */
    PipelinedPublisher publisher() {
        return publisher;
    }

    @Override
    public void relay(GatewayListener listener, byte[] payload) {
        byte[] envelope = FrameEnvelope.encode(origin, payload);
        String topic = channels.frames(listener.name());
        if (publisher.publishNow(topic, listener.name(), envelope)) {
            return;
        }
        Message<byte[]> message = MessageBuilder.withPayload(envelope)
                .setHeader(TOPIC_HEADER, topic)
                .setHeader(LISTENER_HEADER, listener.name())
                .build();
        publisher.handingOver();
        try {
            publishChannel.send(message);
        }
        catch (MessagingException queueFull) {
            publisher.notHandedOver();
            publishFailed(listener.name(), queueFull);
        }
    }

    void published(String listener) {
        metrics.published(listener).increment();
        if (failing.get() && failing.compareAndSet(true, false)) { // a read per frame, a write only on recovery
            log.info("Cluster: publishing broadcast frames to Redis again");
        }
    }

    /** Logged once per outage, not per frame; the failures meter counts every frame. */
    void publishFailed(String listener, Throwable cause) {
        metrics.failures(listener).increment();
        if (failing.compareAndSet(false, true)) {
            log.warn("Cluster: broadcast frames are not reaching the other pods ({}); local peers still get them",
                    rootMessage(cause));
        }
    }

    void received(byte[] bytes, String channel) {
        FrameEnvelope envelope = FrameEnvelope.decode(bytes);
        if (envelope == null || envelope.origin().equals(channels.nodeId())) {
            return; // our own frame back from Redis: the local peers have it already
        }
        GatewayListener listener = listeners.listener(channels.listenerOf(channel));
        if (listener == null) {
            return; // a listener this pod does not have (configurations differ between pods)
        }
        metrics.received(listener.name()).increment();
        listener.deliverToAll(listener.codec().encode(envelope.payload()));
    }

    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
