package io.tcpgateway.kafka;

import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.connection.Peer;
import io.tcpgateway.logging.LogText;
import io.tcpgateway.kafka.FrameRecords.FrameRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.ProducerListener;

/**
 * What Kafka answered for each frame, as the template's producer listener (on the producer's network thread): a
 * stored frame frees its room, is counted and makes an {@code ACK} due; a frame refused for good frees its room, is
 * counted, and closes its connection with {@code ERROR forward failed}. The producer listener rather than the
 * outbound adapter's success and failure channels: those build a Spring Integration message (a header map copied)
 * per record on the producer's one network thread, which a profile showed in a quarter of its samples
 * (docs/benchmark.md). Records other than
 * frames (the events) are left alone. Not itself a {@code ProducerListener} bean, which would make Spring Boot's own
 * listener (which its template needs) back off.
 */
final class ForwardOutcomes {

    private static final Logger log = LoggerFactory.getLogger(ForwardOutcomes.class);

    private final InFlightBudget budget;
    private final AckWriter acks;

    ForwardOutcomes(InFlightBudget budget, AckWriter acks) {
        this.budget = budget;
        this.acks = acks;
    }

    /** What the gateway's template tells of every record it sent. */
    ProducerListener<String, byte[]> asProducerListener() {
        return new ProducerListener<>() {

            @Override
            public void onSuccess(ProducerRecord<String, byte[]> record, RecordMetadata metadata) {
                stored(record);
            }

            @Override
            public void onError(ProducerRecord<String, byte[]> record, @Nullable RecordMetadata metadata, Exception exception) {
                failed(record, exception);
            }
        };
    }

    private void stored(ProducerRecord<String, byte[]> record) {
        if (record instanceof FrameRecord stored) {
            ForwardedFrame frame = stored.frame();
            ForwardStream stream = frame.stream();
            free(frame);
            frame.listener().stored();
            if (stream.stored(frame.sequence())) {
                acks.due(stream);
            }
        }
    }

    /**
     * A failure reported on the reader's own thread happened while it was handing the frame over and was thrown to
     * it as well; the reader decides then (it retries what Kafka may take later).
     */
    private void failed(ProducerRecord<String, byte[]> record, Exception exception) {
        if (record instanceof FrameRecord failed && failed.frame().sender() != Thread.currentThread()) {
            refused(failed.frame(), KafkaFailures.cause(exception));
        }
    }

    /** Kafka will never take this frame: its connection is closed, with the reason, and nothing after it is acknowledged. */
    void refused(ForwardedFrame frame, Throwable cause) {
        ForwardStream stream = frame.stream();
        free(frame);
        frame.listener().refused();
        if (stream.refusedFrom(frame.sequence())) {
            Peer peer = stream.peer();
            log.atWarn().addKeyValue("listener", peer.listener().name()).addKeyValue("connectionId", peer.id())
                    .log("Kafka refused frame {} of {} on listener {} for good ({}); closing it (forward-failed)",
                            frame.sequence(), peer.id(), peer.listener().name(), LogText.escape(KafkaFailures.describe(cause)));
            peer.closeSaying(CloseReason.FORWARD_FAILED);
        }
    }


    /** The frame no longer waits for Kafka: its room, in its connection's bound and the gateway's, is free again. */
    void free(ForwardedFrame frame) {
        frame.stream().free(frame.bytes());
        budget.release(frame.bytes());
    }
}
