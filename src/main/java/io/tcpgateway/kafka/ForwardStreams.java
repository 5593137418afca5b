package io.tcpgateway.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tcpgateway.config.GatewayKafkaProperties;
import io.tcpgateway.connection.ConnectionEvents;
import io.tcpgateway.connection.GatewayListener;
import io.tcpgateway.connection.Peer;
import io.tcpgateway.listener.FrameForwarding;
import io.tcpgateway.shutdown.GoodbyeGate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;

/**
 * The one place that holds the {@code forward} connections' streams to Kafka: made with a connection's first
 * frame, gone with its close. It builds each forward listener's handler, counts the readers waiting for Kafka
 * ({@code gateway.kafka.forward.paused}) and, on shutdown, holds each connection's reader and waits for what it
 * sent to be stored and acknowledged before its goodbye (CONTRACT section 15).
 */
final class ForwardStreams implements FrameForwarding, GoodbyeGate, ConnectionEvents {

    private static final long SETTLE_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long NOTICEABLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Map<Peer, ForwardStream> streams = new ConcurrentHashMap<>();
    private final Map<String, ForwardingListener> listeners = new ConcurrentHashMap<>();
    private final GatewayKafkaProperties kafka;
    private final String pod;
    private final MeterRegistry meters;
    private final InFlightBudget budget;
    private final MessageChannel frames;
    private final ForwardOutcomes outcomes;

    ForwardStreams(GatewayKafkaProperties kafka, String pod, MeterRegistry meters, InFlightBudget budget,
            MessageChannel frames, ForwardOutcomes outcomes) {
        this.kafka = kafka;
        this.pod = pod;
        this.meters = meters;
        this.budget = budget;
        this.frames = frames;
        this.outcomes = outcomes;
        Gauge.builder("gateway.kafka.forward.paused", this, ForwardStreams::pausedNow)
                .description("Connections whose reading waits for Kafka").register(meters);
    }

    @Override
    public MessageHandler forwarderOf(GatewayListener listener) {
        ForwardingListener forwarding = new ForwardingListener(listener, kafka, meters);
        listeners.put(listener.name(), forwarding);
        return new ForwardHandler(forwarding, this, budget, frames, outcomes);
    }

    /**
     * The stream of {@code peer}'s frames; made on its first frame (on its reader thread). One made for a peer whose
     * close was decided meanwhile (its last frame was being handled) serves that frame and is not kept, so no
     * closed connection stays held here.
     */
    ForwardStream streamOf(Peer peer, ForwardingListener listener) {
        ForwardStream stream = streams.get(peer);
        if (stream != null) {
            return stream;
        }
        stream = streams.computeIfAbsent(peer, (made) -> new ForwardStream(made, new FrameRecords(made, listener.topic(), pod),
                listener.maxInFlightBytesPerConnection(), listener.acks()));
        if (peer.isClosing()) {
            streams.remove(peer, stream);
        }
        return stream;
    }

    /**
     * Connections whose reader has been waiting for Kafka for a noticeable time (100 ms): a send that the producer
     * takes at once is not a pause. Counted when asked (a scrape, a health call), not per frame.
     */
    int pausedNow() {
        long now = System.nanoTime();
        int paused = 0;
        for (ForwardStream stream : streams.values()) {
            if (stream.waitingFor(NOTICEABLE_WAIT_NANOS, now)) {
                paused++;
            }
        }
        return paused;
    }

    long inFlightBytes() {
        return budget.held();
    }

    @Override
    public void hold(Peer peer) {
        ForwardingListener listener = listeners.get(peer.listener().name());
        if (listener != null) {
            streamOf(peer, listener).hold();
        }
    }

    @Override
    public void awaitSettled(Peer peer, long deadlineNanos) {
        ForwardStream stream = streams.get(peer);
        if (stream == null) {
            return;
        }
        while (!stream.settled() && !stream.gone() && System.nanoTime() < deadlineNanos) {
            LockSupport.parkNanos(SETTLE_RECHECK_NANOS);
        }
    }

    @Override
    public void connected(Peer peer) {
    }

    @Override
    public void authenticated(Peer peer) {
    }

    @Override
    public void closed(Peer peer) {
        streams.remove(peer);
    }

    /** For tests and health: the stream of a connection, if it has sent a frame. */
    @Nullable ForwardStream streamOf(Peer peer) {
        return streams.get(peer);
    }
}
