/**
 * Kafka both ways (CONTRACT section 15): the frames of {@code forward} listeners to their topic through Spring
 * Integration's Kafka outbound adapter, with back-pressure as a paused reader and {@code ACK <n>} once stored;
 * lifecycle events to the events topic; records of the commands topic as messages to principals.
 * Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.tcpgateway.kafka;

import org.jspecify.annotations.NullMarked;
