package io.tcpgateway.kafka;

import io.tcpgateway.connection.Peer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The end of a {@code forward} listener's flow, on the connection's reader thread: each frame becomes a Kafka
 * record ({@link FrameRecords}) and goes to the channel of Spring Integration's Kafka outbound adapter, in the
 * order read. Back-pressure is this thread waiting: while the connection's frames in flight (or everybody's)
 * fill their bound, and while Kafka cannot take a record at all (no metadata, the producer closed to it), the
 * reader does not read, TCP flow control holds the client, and the heartbeat is told the silence is the
 * gateway's. What Kafka answers comes back through the template's producer listener ({@link ForwardOutcomes}). A record Kafka cannot take yet is handed over again, the same one, so nothing is lost or
 * reordered; one it will never take closes the connection ({@link ForwardOutcomes#refused}).
 */
final class ForwardHandler implements MessageHandler {

    private static final Logger log = LoggerFactory.getLogger(ForwardHandler.class);
    private static final long HELD_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final ForwardingListener listener;
    private final ForwardStreams streams;
    private final InFlightBudget budget;
    private final MessageChannel kafka;
    private final ForwardOutcomes outcomes;
    private final BackOff retry;

    ForwardHandler(ForwardingListener listener, ForwardStreams streams, InFlightBudget budget, MessageChannel kafka,
            ForwardOutcomes outcomes) {
        this.listener = listener;
        this.streams = streams;
        this.budget = budget;
        this.kafka = kafka;
        this.outcomes = outcomes;
        ExponentialBackOff backOff = new ExponentialBackOff(100, 2.0);
        backOff.setMaxInterval(2000); // and no end: the frame waits as long as Kafka is away
        this.retry = backOff;
    }

    @Override
    public void handleMessage(Message<?> message) {
        Peer peer = (Peer) Objects.requireNonNull(message.getHeaders().get(Peer.HEADER), "set by the message mapper");
        ForwardStream stream = streams.streamOf(peer, listener);
        if (stream.refused() || (stream.held() && stream.gone())) {
            return; // its close is decided: what it still sends goes nowhere, and is never acknowledged
        }
        byte[] payload = (byte[]) message.getPayload();
        if (!holdRoom(stream, payload.length)) {
            return;
        }
        ForwardedFrame frame = new ForwardedFrame(stream, listener, stream.nextSequence(), payload.length,
                Thread.currentThread());
        ProducerRecord<String, byte[]> record = stream.records().of(payload, peer.lastReadAtMillis(), frame);
        handOver(new GenericMessage<>(record), frame);
        if (stream.held()) {
            awaitGoodbye(stream);
        }
    }

    /** Room for the frame in its connection's bound and the gateway's; waits (paused) while there is none. */
    private boolean holdRoom(ForwardStream stream, int bytes) {
        if (!stream.full(bytes) && budget.tryHold(bytes)) {
            return stream.awaitRoom(bytes); // room is there: no wait
        }
        stream.waiting();
        try {
            if (!stream.awaitRoom(bytes)) {
                return false;
            }
            if (!budget.hold(bytes, stream::gone)) {
                stream.free(bytes);
                return false;
            }
            return true;
        }
        finally {
            stream.reading();
        }
    }

    /**
     * Hands the record to the adapter; a failure thrown here means the producer did not take it. The reader counts
     * as waiting for Kafka meanwhile: the producer itself waits while it has no metadata for the topic (Kafka away),
     * up to its {@code max.block.ms}.
     */
    private void handOver(Message<ProducerRecord<String, byte[]>> message, ForwardedFrame frame) {
        ForwardStream stream = frame.stream();
        BackOffExecution backOff = null;
        stream.waiting();
        try {
            while (true) {
                try {
                    kafka.send(message);
                    return;
                }
                catch (RuntimeException failed) {
                    Throwable cause = KafkaFailures.cause(failed);
                    if (!KafkaFailures.retriable(cause)) {
                        outcomes.refused(frame, cause);
                        return;
                    }
                    if (stream.gone()) {
                        outcomes.free(frame); // never taken by the producer; its connection is closing
                        return;
                    }
                    if (backOff == null) {
                        backOff = retry.start();
                        log.debug("Kafka cannot take frames of {} yet ({}); trying again", stream.peer().id(),
                                KafkaFailures.describe(cause));
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backOff.nextBackOff()));
                }
            }
        }
        finally {
            stream.reading();
        }
    }

    /** Drained: nothing more from this connection goes on; its reader waits for the goodbye (or the close). */
    private static void awaitGoodbye(ForwardStream stream) {
        Peer peer = stream.peer();
        peer.pauseReading(); // the drain's pause, not Kafka's: the heartbeat leaves it alone, the gauge does not count it
        try {
            while (!stream.gone()) {
                LockSupport.parkNanos(stream, HELD_RECHECK_NANOS);
            }
        }
        finally {
            peer.resumeReading();
        }
    }
}
