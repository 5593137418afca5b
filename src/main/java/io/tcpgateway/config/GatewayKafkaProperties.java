package io.tcpgateway.config;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Kafka both ways ({@code gateway.kafka.*}, CONTRACT section 15); the connection to Kafka itself (bootstrap
 * servers, SASL, TLS, producer and consumer tuning) is Spring Boot's {@code spring.kafka.*}.
 *
 * @param enabled connect to Kafka: {@code forward} listeners, the events topic and the commands topic; off by default
 * @param framesTopic the topic of a {@code forward} listener's frames unless the listener names its own
 *     ({@code forward-topic})
 * @param eventsTopic one JSON record per connection connected, authenticated and closed; empty = none
 * @param commandsTopic records handled as {@code POST /actuator/principals/{key}} (key = the principal, value = the
 *     message, optional headers {@code gateway-listener} and {@code gateway-ttl}); empty = none
 * @param consumerGroup the consumer group every pod reads the commands topic in, so each record is handled once
 * @param maxInFlightBytes bytes of frames read and not yet stored by Kafka, gateway-wide; over it the readers of
 *     {@code forward} connections pause until Kafka has stored more (never more than the producer's
 *     {@code buffer-memory}, so a send never waits for the producer's own memory)
 * @param maxInFlightBytesPerConnection the same for one connection, so one fast client cannot take the whole
 *     budget from the others (a single frame larger than it still goes, alone)
 * @param maxPendingEvents lifecycle events waiting to be handed to Kafka; beyond it (Kafka away for long, a storm
 *     of connections) events are dropped and counted in {@code gateway.kafka.events.dropped}, so no connection
 *     ever waits for its event
 */
public record GatewayKafkaProperties(
        boolean enabled,
        @DefaultValue("gateway.frames") String framesTopic,
        @DefaultValue("gateway.events") @Nullable String eventsTopic,
        @Nullable String commandsTopic,
        @DefaultValue("tcp-gateway") String consumerGroup,
        @DefaultValue("16MB") DataSize maxInFlightBytes,
        @DefaultValue("1MB") DataSize maxInFlightBytesPerConnection,
        @DefaultValue("10000") int maxPendingEvents) {

    /** The events topic, or null when events are off. */
    public @Nullable String eventsTopicOrNull() {
        return (eventsTopic == null || eventsTopic.isBlank()) ? null : eventsTopic;
    }

    /** The commands topic, or null when commands are off. */
    public @Nullable String commandsTopicOrNull() {
        return (commandsTopic == null || commandsTopic.isBlank()) ? null : commandsTopic;
    }
}
