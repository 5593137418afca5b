package io.tcpgateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tcpgateway.support.GatewayProcess;
import io.tcpgateway.support.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT section 15's drain, on the jar as an operator runs it: {@code SIGTERM} right after a burst. Every frame
 * the client was told of ({@code ACK <n>}) is in Kafka, in order, the ACKs come before the goodbye, and what the
 * gateway stored it also acknowledged (but for a frame read in the instant the drain held the reader).
 */
class KafkaDrainIT {

    @Test
    void sigtermRightAfterABurstLeavesEveryAcknowledgedFrameInKafkaAndAcknowledgesWhatWasStored() {
        try (TestKafka kafka = TestKafka.start();
                GatewayProcess gateway = GatewayProcess.start(Map.of("GATEWAY_ADMIN_PASSWORD", "test-secret"),
                        "--gateway.kafka.enabled=true", "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--gateway.kafka.frames-topic=drain.frames", "--gateway.kafka.events-topic=",
                        "--gateway.shutdown.drain-timeout=20s",
                        "--gateway.listeners[0].name=devices", "--gateway.listeners[0].port=0",
                        "--gateway.listeners[0].mode=forward", "--gateway.listeners[0].forward-acks=true")) {
            kafka.createTopic("drain.frames", 1, Map.of());
            int port = gateway.awaitListenerPort("devices");
            try (ForwardingClient client = new ForwardingClient("burst", port)) {
                client.send(1);
                await().atMost(Duration.ofSeconds(30)).until(() -> client.acked() == 1); // the producer is connected
                client.send(20_000);
                gateway.terminate();
                await().atMost(Duration.ofSeconds(40)).until(client::closedByServer);
                assertThat(gateway.awaitExit(Duration.ofSeconds(40))).isZero();

                assertThat(client.others()).as("the goodbye, after every ACK").containsExactly("BYE server shutting down");
                client.assertNoProblems();
                long acked = client.acked();
                List<String> stored = kafka.records("drain.frames").stream().map(KafkaDrainIT::value).toList();
                assertThat(acked).as("acknowledged before the goodbye").isPositive();
                assertThat(stored.subList(0, (int) acked)).as("every acknowledged frame, in order")
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, (int) acked).mapToObj(client::frame).toList());
                assertThat(stored.size()).as("what was stored was acknowledged (read %d, stored %d, acknowledged %d)",
                        client.sent(), stored.size(), acked).isBetween((int) acked, (int) acked + 1);
            }
        }
    }

    static String value(ConsumerRecord<String, byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }
}
