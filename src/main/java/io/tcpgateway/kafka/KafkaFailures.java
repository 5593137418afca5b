package io.tcpgateway.kafka;

import org.apache.kafka.common.errors.RetriableException;

/** What a failure to hand a record to Kafka means: Kafka's own exception in the chain, and whether it may pass. */
final class KafkaFailures {

    private KafkaFailures() {
    }

    /** Kafka's exception behind the wrappers of Spring Integration and Spring for Apache Kafka, or the failure itself. */
    static Throwable cause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.apache.kafka.common.KafkaException) {
                Throwable deeper = cause.getCause();
                return (deeper instanceof org.apache.kafka.common.KafkaException) ? cause(deeper) : cause;
            }
        }
        return failure;
    }

    /**
     * Kafka slow or away (no metadata yet, no leader, a timeout): the same record is tried again, so nothing is
     * lost and nothing reordered. Anything else (too large, not authorized, an invalid topic) is refused for good.
     */
    static boolean retriable(Throwable cause) {
        return cause instanceof RetriableException;
    }

    /** One line for a log: the exception's simple name and message. */
    static String describe(Throwable cause) {
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
