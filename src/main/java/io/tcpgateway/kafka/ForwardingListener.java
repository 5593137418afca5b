package io.tcpgateway.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tcpgateway.config.GatewayKafkaProperties;
import io.tcpgateway.config.ListenerProperties;
import io.tcpgateway.connection.GatewayListener;
import java.util.Objects;

/**
 * What one {@code forward} listener forwards to and counts: its topic, whether its clients are told
 * {@code ACK <n>}, how far one of its connections may run ahead of Kafka, and the meters
 * {@code gateway.kafka.forwarded} and {@code gateway.kafka.forward.failures} under its name.
 */
final class ForwardingListener {

    private final String topic;
    private final boolean acks;
    private final long maxInFlightBytesPerConnection;
    private final Counter forwarded;
    private final Counter failures;

    ForwardingListener(GatewayListener listener, GatewayKafkaProperties kafka, MeterRegistry meters) {
        ListenerProperties properties = listener.properties();
        this.topic = Objects.requireNonNullElse(properties.forwardTopicOrNull(), kafka.framesTopic());
        this.acks = properties.forwardAcks();
        this.maxInFlightBytesPerConnection = kafka.maxInFlightBytesPerConnection().toBytes();
        this.forwarded = Counter.builder("gateway.kafka.forwarded").tag("listener", listener.name())
                .description("Frames of forward listeners stored by Kafka").register(meters);
        this.failures = Counter.builder("gateway.kafka.forward.failures").tag("listener", listener.name())
                .description("Frames Kafka refused for good (each closes its connection, reason forward-failed)")
                .register(meters);
    }

    String topic() {
        return topic;
    }

    boolean acks() {
        return acks;
    }

    long maxInFlightBytesPerConnection() {
        return maxInFlightBytesPerConnection;
    }

    void stored() {
        forwarded.increment();
    }

    void refused() {
        failures.increment();
    }
}
