package io.tcpgateway.kafka;

import io.tcpgateway.connection.CloseReason;
import io.tcpgateway.connection.Peer;
import io.tcpgateway.logging.LogText;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.integration.kafka.support.KafkaSendFailureException;
import org.springframework.messaging.Message;

/**
 * What Kafka answered for each frame, from the outbound adapter's success and failure channels (on the producer's
 * network thread): a stored frame frees its room, is counted and makes an {@code ACK} due; a frame refused for
 * good frees its room, is counted, and closes its connection with {@code ERROR forward failed}.
 */
final class ForwardOutcomes {

    private static final Logger log = LoggerFactory.getLogger(ForwardOutcomes.class);

    private final InFlightBudget budget;
    private final AckWriter acks;

    ForwardOutcomes(InFlightBudget budget, AckWriter acks) {
        this.budget = budget;
        this.acks = acks;
    }

    /** The adapter's success channel: the message sent, with Kafka's record metadata added. */
    void stored(Message<?> message) {
        ForwardedFrame frame = frameOf(message);
        ForwardStream stream = frame.stream();
        stream.settled(frame.bytes());
        budget.release(frame.bytes());
        frame.listener().stored();
        if (stream.stored(frame.sequence())) {
            acks.due(stream);
        }
    }

    /**
     * The adapter's failure channel. A failure reported on the reader's own thread happened while it was handing the
     * frame over and was thrown to it as well; the reader decides then (it retries what Kafka may take later).
     */
    void failed(Message<?> error) {
        if (error.getPayload() instanceof KafkaSendFailureException failure && failure.getFailedMessage() != null) {
            ForwardedFrame frame = frameOf(failure.getFailedMessage());
            if (frame.sender() != Thread.currentThread()) {
                refused(frame, KafkaFailures.cause(failure));
            }
        }
    }

    /** Kafka will never take this frame: its connection is closed, with the reason, and nothing after it is acknowledged. */
    void refused(ForwardedFrame frame, Throwable cause) {
        ForwardStream stream = frame.stream();
        stream.settled(frame.bytes());
        budget.release(frame.bytes());
        frame.listener().refused();
        if (stream.refusedFrom(frame.sequence())) {
            Peer peer = stream.peer();
            log.atWarn().addKeyValue("listener", peer.listener().name()).addKeyValue("connectionId", peer.id())
                    .log("Kafka refused frame {} of {} on listener {} for good ({}); closing it (forward-failed)",
                            frame.sequence(), peer.id(), peer.listener().name(), LogText.escape(KafkaFailures.describe(cause)));
            peer.closeSaying(CloseReason.FORWARD_FAILED);
        }
    }

    private static ForwardedFrame frameOf(Message<?> message) {
        return (ForwardedFrame) Objects.requireNonNull(message.getHeaders().get(ForwardedFrame.HEADER), "set by ForwardHandler");
    }
}
