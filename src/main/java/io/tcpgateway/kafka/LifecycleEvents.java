package io.tcpgateway.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.connection.ConnectionEvents;
import io.tcpgateway.connection.Peer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.support.GenericMessage;
import tools.jackson.databind.json.JsonMapper;

/**
 * The events topic (CONTRACT section 15): one JSON record per connection {@code connected}, {@code authenticated}
 * and {@code closed} (with its {@code reason}), keyed like the frames (the principal, else the connection id).
 * Events are put on a bounded queue that one poller empties into Kafka, so no connection ever waits for its
 * event; when the queue is full (Kafka away for long, a storm of connections) the event is dropped and counted
 * in {@code gateway.kafka.events.dropped}.
 */
final class LifecycleEvents implements ConnectionEvents {

    private final String topic;
    private final String pod;
    private final MessageChannel queue;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Counter dropped;

    LifecycleEvents(String topic, String pod, MessageChannel queue, MeterRegistry meters) {
        this.topic = topic;
        this.pod = pod;
        this.queue = queue;
        this.dropped = Counter.builder("gateway.kafka.events.dropped")
                .description("Lifecycle events dropped because too many were waiting for Kafka").register(meters);
    }

    @Override
    public void connected(Peer peer) {
        publish("connected", peer, null);
    }

    @Override
    public void authenticated(Peer peer) {
        publish("authenticated", peer, null);
    }

    @Override
    public void closed(Peer peer) {
        CloseReason reason = peer.closeReason();
        publish("closed", peer, (reason != null) ? reason.tag() : CloseReason.ERROR.tag());
    }

    private void publish(String type, Peer peer, @Nullable String reason) {
        String principal = peer.principal();
        Map<String, @Nullable Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("listener", peer.listener().name());
        event.put("connection", peer.id());
        event.put("principal", principal);
        event.put("remoteAddress", peer.remoteAddress());
        event.put("pod", pod);
        event.put("at", Instant.now().toString());
        if (reason != null) {
            event.put("reason", reason);
        }
        String key = (principal != null) ? principal : peer.id();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, json.writeValueAsBytes(event));
        if (!queue.send(new GenericMessage<>(record), 0)) {
            dropped.increment();
        }
    }
}
