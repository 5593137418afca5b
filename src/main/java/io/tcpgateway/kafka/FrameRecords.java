package io.tcpgateway.kafka;

import io.tcpgateway.connection.Peer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

/**
 * The Kafka records of one connection's frames (CONTRACT section 15): its topic, its key (the principal, or the
 * connection id without one), the payload as the value, and the headers {@code gateway-listener},
 * {@code gateway-connection}, {@code gateway-principal} (when any), {@code gateway-remote-address},
 * {@code gateway-pod} and {@code gateway-received-at}. What never changes for the connection is encoded once;
 * the time is formatted again only when the millisecond changed.
 */
final class FrameRecords {

    static final String LISTENER = "gateway-listener";
    static final String CONNECTION = "gateway-connection";
    static final String PRINCIPAL = "gateway-principal";
    static final String REMOTE_ADDRESS = "gateway-remote-address";
    static final String POD = "gateway-pod";
    static final String RECEIVED_AT = "gateway-received-at";

    private final String topic;
    private final String key;
    private final byte[] listener;
    private final byte[] connection;
    private final byte @Nullable [] principal;
    private final byte[] remoteAddress;
    private final byte[] pod;
    private long formattedAt = -1;
    private byte[] receivedAt = new byte[0];

    FrameRecords(Peer peer, String topic, String pod) {
        this.topic = topic;
        String who = peer.principal();
        this.key = (who != null) ? who : peer.id();
        this.listener = utf8(peer.listener().name());
        this.connection = utf8(peer.id());
        this.principal = (who != null) ? utf8(who) : null;
        this.remoteAddress = utf8(peer.remoteAddress());
        this.pod = utf8(pod);
    }

    String topic() {
        return topic;
    }

    /**
     * A record that knows its frame: Kafka hands the very record back to the template's producer listener when it
     * is stored or refused ({@link ForwardOutcomes}), so nothing has to be looked up or copied per frame.
     */
    static final class FrameRecord extends ProducerRecord<String, byte[]> {

        private final ForwardedFrame frame;

        FrameRecord(String topic, String key, byte[] value, Headers headers, ForwardedFrame frame) {
            super(topic, null, key, value, headers);
            this.frame = frame;
        }

        ForwardedFrame frame() {
            return frame;
        }

        // A record is a value to Kafka; two frames with equal bytes are still two frames.
        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    /** The record of {@code frame}, read at {@code readAtMillis}; called by the connection's reader only. */
    FrameRecord of(byte[] payload, long readAtMillis, ForwardedFrame frame) {
        if (readAtMillis != formattedAt) {
            receivedAt = utf8(Instant.ofEpochMilli(readAtMillis).toString());
            formattedAt = readAtMillis;
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader(LISTENER, listener));
        headers.add(new RecordHeader(CONNECTION, connection));
        if (principal != null) {
            headers.add(new RecordHeader(PRINCIPAL, principal));
        }
        headers.add(new RecordHeader(REMOTE_ADDRESS, remoteAddress));
        headers.add(new RecordHeader(POD, pod));
        headers.add(new RecordHeader(RECEIVED_AT, receivedAt));
        return new FrameRecord(topic, key, payload, headers, frame);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
