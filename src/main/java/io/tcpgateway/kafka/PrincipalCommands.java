package io.tcpgateway.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tcpgateway.admin.AdminResult;
import io.tcpgateway.admin.PrincipalCalls;
import io.tcpgateway.logging.LogText;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

/**
 * The commands topic (CONTRACT section 15): each record is {@code POST /actuator/principals/{key}} with the record's
 * value as the message and its headers {@code gateway-listener} and {@code gateway-ttl} as the call's
 * {@code listener} and {@code ttl}, through the same {@link PrincipalCalls} the admin API uses (every pod's
 * connections, the offline queue). Counted in {@code gateway.kafka.commands{result}}: {@code delivered},
 * {@code queued}, and the refusals {@code unknown} (no connection and no ttl), {@code invalid} (the message rules,
 * a bad ttl or listener, no key), {@code refused} (the queue is full); each refusal is logged and its record
 * committed, so a bad command never blocks its partition. A command that cannot be carried out now (the queue in
 * Redis unreachable) is thrown back to the listener container, which tries it again and then gives up
 * ({@code failed}).
 */
final class PrincipalCommands {

    static final String LISTENER_HEADER = "gateway-listener";
    static final String TTL_HEADER = "gateway-ttl";

    private static final Logger log = LoggerFactory.getLogger(PrincipalCommands.class);

    private final PrincipalCalls calls;
    private final MeterRegistry meters;
    private final Map<String, Counter> results = new ConcurrentHashMap<>();

    PrincipalCommands(PrincipalCalls calls, MeterRegistry meters) {
        this.calls = calls;
        this.meters = meters;
        for (String result : new String[] {"delivered", "queued", "unknown", "invalid", "refused", "failed"}) {
            counter(result);
        }
    }

    /** Thrown back to the container: the command may succeed later, so it is tried again before it counts as failed. */
    static final class NotNow extends RuntimeException {

        private static final long serialVersionUID = 1L;

        NotNow(String detail) {
            super(detail);
        }
    }

    void handle(Message<?> message) {
        MessageHeaders headers = message.getHeaders();
        String principal = text(headers.get(KafkaHeaders.RECEIVED_KEY));
        String value = text(message.getPayload());
        if (principal == null || principal.isEmpty()) {
            refusal("invalid", "?", "a command needs the principal as its key");
            return;
        }
        AdminResult result = calls.send(principal, value, text(headers.get(LISTENER_HEADER)), text(headers.get(TTL_HEADER)));
        switch (result) {
            case AdminResult.Sent sent when sent.delivered() > 0 -> counter("delivered").increment();
            case AdminResult.Sent queued -> counter("queued").increment();
            case AdminResult.NotFound unknown -> refusal("unknown", principal, unknown.detail());
            case AdminResult.BadRequest bad -> refusal("invalid", principal, bad.detail());
            case AdminResult.Conflict full -> refusal("refused", principal, full.detail());
            case AdminResult.Refused notNow -> throw new NotNow(notNow.detail());
            default -> throw new NotNow("unexpected answer " + result);
        }
    }

    /** The container gave up on a record after its retries. */
    void failed(ConsumerRecord<?, ?> record, Exception cause) {
        counter("failed").increment();
        log.warn("Command for principal {} (topic {}, partition {}, offset {}) failed and is skipped: {}",
                LogText.escape(String.valueOf(record.key())), record.topic(), record.partition(), record.offset(),
                LogText.escape(String.valueOf(NestedExceptionUtils.getMostSpecificCause(cause).getMessage())));
    }

    private void refusal(String result, String principal, String detail) {
        counter(result).increment();
        log.info("Command for principal {} refused ({}): {}", LogText.escape(principal), result, LogText.escape(detail));
    }

    private Counter counter(String result) {
        return results.computeIfAbsent(result, (name) -> Counter.builder("gateway.kafka.commands").tag("result", name)
                .description("Records of the commands topic: delivered, queued, or why not").register(meters));
    }

    private static @Nullable String text(@Nullable Object value) {
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return (value != null) ? value.toString() : null;
    }
}
