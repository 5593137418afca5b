package io.tcpgateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.MessageHandlingException;
import org.springframework.messaging.support.GenericMessage;

/** Kafka slow or away is tried again; a frame Kafka will never take is refused; whatever wraps the cause. */
class KafkaFailuresTest {

    @Test
    void kafkasOwnExceptionIsFoundBehindTheWrappersAndJudged() {
        var metadataWait = new MessageHandlingException(new GenericMessage<>("x"),
                new org.springframework.kafka.KafkaException("Send failed", new TimeoutException("Topic t not present in metadata after 60000 ms.")));
        assertThat(KafkaFailures.cause(metadataWait)).isInstanceOf(TimeoutException.class);
        assertThat(KafkaFailures.retriable(KafkaFailures.cause(metadataWait))).isTrue();

        var tooLarge = new MessageHandlingException(new GenericMessage<>("x"),
                new org.springframework.kafka.KafkaException("Send failed", new RecordTooLargeException("too large")));
        assertThat(KafkaFailures.retriable(KafkaFailures.cause(tooLarge))).isFalse();
        assertThat(KafkaFailures.retriable(new TopicAuthorizationException("no"))).isFalse();
        assertThat(KafkaFailures.retriable(KafkaFailures.cause(new IllegalStateException("producer closed")))).isFalse();
    }
}
